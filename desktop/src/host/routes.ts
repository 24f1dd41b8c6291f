import { existsSync } from 'node:fs';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { join, resolve, sep } from 'node:path';
import { HOST_PATHS } from '@vmp/shared/api';
import { AppError } from '@vmp/shared/errors';
import type { Core } from '../core/core.ts';
import { dispatch } from '../core/dispatch.ts';
import { type MediaRouteKind, mediaFile, parseMediaPath } from '../core/media.ts';
import { hostHeaderAllowed, originAllowed, requestToken, TOKEN_COOKIE, tokenMatches } from './auth.ts';
import { appErrorOf, CSP, sendError, sendFile, sendJson, sendPage, statusOfCode } from './http-util.ts';
import { receiveUpload, serverTiming } from './upload.ts';

const BUILD_HINT =
  'The app UI is not built yet. Run "npm run build:renderer -w desktop" in the repository, then reload.';

export type Authorisation = { ok: true; setCookie: boolean } | { ok: false; status: number; message: string };

export interface RouteOptions {
  core: Core;
  rendererDir: string;
  token: string | undefined;
}

/** Token and Host checks shared by HTTP requests and WebSocket upgrades. */
export function authorise(req: IncomingMessage, url: URL, token: string | undefined): Authorisation {
  if (!hostHeaderAllowed(req, token !== undefined)) {
    return { ok: false, status: 403, message: 'This host only answers requests addressed to 127.0.0.1 or localhost.' };
  }
  const given = requestToken(req, url);
  if (!tokenMatches(token, given.token)) {
    return {
      ok: false,
      status: 401,
      message: 'A valid token is required: open the address printed by "vmp serve" (it ends with ?token=...).',
    };
  }
  return { ok: true, setCookie: token !== undefined && given.fromQuery };
}

/** The host's HTTP routes: uploads, media with Range, and the built renderer (client-side routes get the app). */
export function createRequestHandler({ core, rendererDir, token }: RouteOptions) {
  async function upload(req: IncomingMessage, res: ServerResponse, url: URL): Promise<void> {
    if (req.method !== 'POST') {
      sendError(res, 405, new AppError('METHOD_NOT_ALLOWED', 'Upload with POST.', { status: 405 }));
      return;
    }
    if (!originAllowed(req)) {
      sendError(
        res,
        403,
        new AppError('FORBIDDEN', 'Uploads are only accepted from pages of this host.', { status: 403 }),
      );
      req.resume();
      return;
    }
    const projectId = url.searchParams.get('projectId') ?? '';
    const name = url.searchParams.get('name') ?? '';
    const groupId = url.searchParams.get('groupId') || undefined;
    try {
      if (!name) throw new AppError('VALIDATION_ERROR', 'name: the file name is required (?name=).', { status: 422 });
      const project = await dispatch(core, 'projects.get', { projectId });
      if (!project.ok) throw appErrorOf(project.error);
      const started = performance.now();
      const file = await receiveUpload(req, core.mediaDir(projectId), name, core.settings().maxClipBytes);
      const received = performance.now();
      const result = await dispatch(core, 'clips.import', {
        projectId,
        paths: [file],
        ...(groupId ? { groupId } : {}),
      });
      // Where the time went (browser dev tools, scripts/bench/upload.ts): receiving the bytes, then analysing them.
      res.setHeader('server-timing', serverTiming(received - started, performance.now() - received));
      if (result.ok) sendJson(res, 200, result.output);
      else sendError(res, statusOfCode(result.error.code), result.error);
    } catch (error) {
      const status = error instanceof AppError ? error.status : 500;
      res.setHeader('connection', 'close');
      sendError(res, status, error);
      // Do not read the rest of a refused body; close once the answer is out.
      res.on('finish', () => req.destroy());
    }
  }

  async function serveMedia(req: IncomingMessage, res: ServerResponse, kind: MediaRouteKind, id: string) {
    const file = await mediaFile(core, kind, id);
    if (!file || !sendFile(req, res, file, { 'cache-control': 'no-cache' })) {
      sendError(res, 404, new AppError('NOT_FOUND', `No ${kind.replace('-', ' ')} for ${id}.`, { status: 404 }));
    }
  }

  function serveRenderer(req: IncomingMessage, res: ServerResponse, path: string): void {
    const index = join(rendererDir, 'index.html');
    if (!existsSync(index)) {
      sendPage(res, 503, 'Video Mixer Pro', BUILD_HINT);
      return;
    }
    let decoded: string;
    try {
      decoded = decodeURIComponent(path);
    } catch {
      sendPage(res, 400, 'Bad request', 'The address is not valid.');
      return;
    }
    const file = resolve(rendererDir, `.${decoded}`);
    const inside = file === rendererDir || file.startsWith(rendererDir + sep);
    const html = { 'content-security-policy': CSP, 'cache-control': 'no-cache', 'x-frame-options': 'DENY' };
    if (inside && file !== rendererDir && !file.endsWith('index.html') && sendFile(req, res, file)) return;
    if (/\.[a-z0-9]+$/i.test(decoded) && !decoded.endsWith('.html')) {
      sendPage(res, 404, 'Not found', `${decoded} does not exist.`);
      return;
    }
    sendFile(req, res, index, html);
  }

  return async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://host');
    const auth = authorise(req, url, token);
    if (!auth.ok) {
      if (url.pathname.startsWith('/api/') || url.pathname.startsWith('/media/')) {
        sendError(res, auth.status, new AppError(auth.status === 401 ? 'UNAUTHENTICATED' : 'FORBIDDEN', auth.message));
      } else sendPage(res, auth.status, 'Video Mixer Pro', auth.message);
      return;
    }
    if (auth.setCookie) {
      // First visit with ?token=: remember it in a cookie and drop it from the address bar.
      url.searchParams.delete('token');
      res.writeHead(303, {
        'set-cookie': `${TOKEN_COOKIE}=${encodeURIComponent(token!)}; Path=/; HttpOnly; SameSite=Strict`,
        location: url.pathname + url.search,
      });
      res.end();
      return;
    }
    const path = url.pathname;
    if (path === HOST_PATHS.upload) return upload(req, res, url);
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      sendError(
        res,
        405,
        new AppError('METHOD_NOT_ALLOWED', `${req.method} is not allowed on ${path}.`, { status: 405 }),
      );
      return;
    }
    const media = parseMediaPath(path);
    if (media) return serveMedia(req, res, media.kind, media.id);
    if (path.startsWith('/api/')) {
      sendError(res, 404, new AppError('NOT_FOUND', `No such endpoint: ${path}.`, { status: 404 }));
      return;
    }
    serveRenderer(req, res, path);
  };
}
