import { createReadStream } from 'node:fs';
import { join, resolve, sep } from 'node:path';
import { Readable } from 'node:stream';
import type { Core } from '../core/core.ts';
import { mediaFile, parseMediaPath } from '../core/media.ts';
import { fileReply } from '../host/file-reply.ts';
import { CSP } from '../host/http-util.ts';

// No electron import here: this is plain Request → Response, so it stays small and the same as the host's routes.

export const APP_SCHEME = 'vmp';
export const APP_ORIGIN = `${APP_SCHEME}://app`;

function fileResponse(request: Request, path: string, extra: Record<string, string> = {}): Response | null {
  const header = (name: string) => request.headers.get(name) ?? undefined;
  const reply = fileReply(
    path,
    { method: request.method, range: header('range'), ifNoneMatch: header('if-none-match') },
    extra,
  );
  if (!reply) return null;
  const body = reply.body ? (Readable.toWeb(createReadStream(path, reply.body)) as ReadableStream) : null;
  return new Response(body, { status: reply.status, headers: reply.headers });
}

/**
 * Serves `vmp://app/...`: the built renderer (so CSP 'self' covers it) and /media/... for thumbnails and outputs,
 * with Range for video seeking. Paths outside the renderer folder are never served.
 */
export function createAppProtocolHandler(core: Core, rendererDir: string): (request: Request) => Promise<Response> {
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
        'content-security-policy': CSP,
        'cache-control': 'no-cache',
      }) || new Response('The app UI is not built: run "npm run build:renderer -w desktop".', { status: 503 })
    );
  };
}
