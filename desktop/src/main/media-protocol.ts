import { createReadStream, statSync } from 'node:fs';
import { join, resolve, sep } from 'node:path';
import { Readable } from 'node:stream';
import { RENDERER_CSP_DIRECTIVES } from '@vmp/shared/api';
import type { Core } from '../core/core.ts';
import { mediaFile, parseMediaPath } from '../core/media.ts';
import { contentType } from '../host/http-util.ts';
import { parseRange } from '../host/range.ts';
import { NOTICES_PATH } from './about.ts';

// No electron import here: this is plain Request → Response, so it stays small and the same as the host's routes.

export const APP_SCHEME = 'vmp';
export const APP_ORIGIN = `${APP_SCHEME}://app`;

/**
 * The renderer's CSP in Electron: the shared one, but the API goes over IPC, so the page may connect only to its own
 * origin (media over vmp://app), never to a WebSocket or another host.
 */
export const ELECTRON_CSP = [
  ...RENDERER_CSP_DIRECTIVES.map((d) => (d.startsWith('connect-src ') ? "connect-src 'self'" : d)),
  "frame-ancestors 'none'",
].join('; ');

function fileResponse(request: Request, path: string, extra: Record<string, string> = {}): Response | null {
  let size: number;
  try {
    const stats = statSync(path);
    if (!stats.isFile()) return null;
    size = stats.size;
  } catch {
    return null;
  }
  const headers: Record<string, string> = {
    'content-type': contentType(path),
    'accept-ranges': 'bytes',
    'x-content-type-options': 'nosniff',
    ...extra,
  };
  const range = parseRange(request.headers.get('range') ?? undefined, size);
  if (range.kind === 'unsatisfiable') {
    return new Response(null, { status: 416, headers: { ...headers, 'content-range': `bytes */${size}` } });
  }
  const [start, end, status] = range.kind === 'partial' ? [range.start, range.end, 206] : [0, size - 1, 200];
  if (range.kind === 'partial') headers['content-range'] = `bytes ${start}-${end}/${size}`;
  headers['content-length'] = String(size === 0 ? 0 : end - start + 1);
  if (size === 0) return new Response(null, { status, headers });
  const body = Readable.toWeb(createReadStream(path, { start, end })) as ReadableStream;
  return new Response(body, { status, headers });
}

/**
 * Serves `vmp://app/...`: the built renderer (so CSP 'self' covers it) and /media/... for thumbnails and outputs,
 * with Range for video seeking. Paths outside the renderer folder are never served.
 */
export function createAppProtocolHandler(
  core: Core,
  rendererDir: string,
  options: { noticesFile?: string | null } = {},
): (request: Request) => Promise<Response> {
  const root = resolve(rendererDir);
  const notFound = () => new Response('Not found', { status: 404, headers: { 'content-type': 'text/plain' } });
  return async (request) => {
    const url = new URL(request.url);
    if (url.host !== 'app') return notFound();
    const media = parseMediaPath(url.pathname);
    if (media) {
      const file = await mediaFile(core, media.kind, media.id);
      return (file && fileResponse(request, file, { 'cache-control': 'no-cache' })) || notFound();
    }
    if (url.pathname === NOTICES_PATH && options.noticesFile) {
      const notices = fileResponse(request, options.noticesFile, {
        'content-type': 'text/plain; charset=utf-8',
        'content-security-policy': "default-src 'none'",
      });
      if (notices) return notices;
    }
    let path: string;
    try {
      path = decodeURIComponent(url.pathname);
    } catch {
      return notFound();
    }
    const file = resolve(root, `.${path}`);
    if (file.startsWith(root + sep) && !file.endsWith('index.html')) {
      const asset = fileResponse(request, file);
      if (asset) return asset;
      if (/\.[a-z0-9]+$/i.test(path)) return notFound();
    }
    return (
      fileResponse(request, join(root, 'index.html'), {
        'content-security-policy': ELECTRON_CSP,
        'cache-control': 'no-cache',
      }) || new Response('The app UI is not built: run "npm run build:renderer -w desktop".', { status: 503 })
    );
  };
}
