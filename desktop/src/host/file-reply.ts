import { type Stats, statSync } from 'node:fs';
import { extname } from 'node:path';
import { parseRange } from './range.ts';

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.jpeg': 'image/jpeg',
  '.webp': 'image/webp',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
  '.mp4': 'video/mp4',
  '.mov': 'video/quicktime',
  '.webm': 'video/webm',
  '.mkv': 'video/x-matroska',
};

export function contentType(path: string): string {
  return TYPES[extname(path).toLowerCase()] ?? 'application/octet-stream';
}

export interface FileRequest {
  method?: string | undefined;
  range?: string | undefined;
  ifNoneMatch?: string | undefined;
}

export interface FileReply {
  status: number;
  headers: Record<string, string>;
  /** Byte range to stream (inclusive); null when the answer has no body (HEAD, 304, 416, empty file). */
  body: { start: number; end: number } | null;
}

/**
 * How to answer a request for a file: status, headers (type, Range, validator) and the bytes to send. One answer for
 * the browser host (node:http) and Electron's app protocol (fetch Response). Null when there is no such file.
 */
export function fileReply(
  path: string,
  request: FileRequest,
  extraHeaders: Record<string, string> = {},
): FileReply | null {
  let stats: Stats;
  try {
    stats = statSync(path);
  } catch {
    return null;
  }
  if (!stats.isFile()) return null;
  const size = stats.size;
  const etag = `"${size.toString(16)}-${Math.floor(stats.mtimeMs).toString(16)}"`;
  const headers: Record<string, string> = {
    'content-type': contentType(path),
    'accept-ranges': 'bytes',
    etag,
    'last-modified': stats.mtime.toUTCString(),
    'x-content-type-options': 'nosniff',
    ...extraHeaders,
  };
  if (request.ifNoneMatch === etag) return { status: 304, headers, body: null };
  const range = parseRange(request.range, size);
  if (range.kind === 'unsatisfiable') {
    return { status: 416, headers: { ...headers, 'content-range': `bytes */${size}` }, body: null };
  }
  const [start, end, status] = range.kind === 'partial' ? [range.start, range.end, 206] : [0, size - 1, 200];
  if (range.kind === 'partial') headers['content-range'] = `bytes ${start}-${end}/${size}`;
  headers['content-length'] = String(size === 0 ? 0 : end - start + 1);
  const body = request.method === 'HEAD' || size === 0 ? null : { start, end };
  return { status, headers, body };
}
