import { createReadStream } from 'node:fs';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { RENDERER_CSP_HEADER } from '@vmp/shared/api';
import { type SerializedError, serializeError } from '@vmp/shared/errors';
import { fileReply } from './file-reply.ts';

export { contentType } from './file-reply.ts';

/** Same policy as the renderer's build meta tag, plus frame-ancestors (header only). */
export const CSP = RENDERER_CSP_HEADER;

export function sendJson(res: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(status, {
    'content-type': 'application/json; charset=utf-8',
    'content-length': Buffer.byteLength(text),
  });
  res.end(text);
}

/** Errors over HTTP use the shared ErrorBody shape: { error: { code, message, details? } }. */
export function sendError(res: ServerResponse, status: number, error: unknown | SerializedError): void {
  const body =
    error && typeof error === 'object' && 'code' in error && 'message' in error && !(error instanceof Error)
      ? (error as SerializedError)
      : serializeError(error);
  if (res.headersSent) {
    res.destroy();
    return;
  }
  sendJson(res, status, { error: body });
}

export function sendPage(res: ServerResponse, status: number, title: string, text: string): void {
  const esc = (s: string) => s.replace(/[&<>"]/g, (c) => `&#${c.charCodeAt(0)};`);
  const html = `<!doctype html><html><head><meta charset="utf-8"><title>${esc(title)}</title></head><body><h1>${esc(title)}</h1><p>${esc(text)}</p></body></html>`;
  res.writeHead(status, {
    'content-type': 'text/html; charset=utf-8',
    'content-security-policy': CSP,
    'x-content-type-options': 'nosniff',
  });
  res.end(html);
}

/** Streams a file with HTTP Range support (video seeking), HEAD, and a cache validator. */
export function sendFile(
  req: IncomingMessage,
  res: ServerResponse,
  path: string,
  extraHeaders: Record<string, string> = {},
): boolean {
  const reply = fileReply(
    path,
    { method: req.method, range: req.headers.range, ifNoneMatch: req.headers['if-none-match'] },
    extraHeaders,
  );
  if (!reply) return false;
  res.writeHead(reply.status, reply.headers);
  if (!reply.body) {
    res.end();
    return true;
  }
  const stream = createReadStream(path, reply.body);
  stream.on('error', () => res.destroy());
  stream.pipe(res);
  return true;
}
