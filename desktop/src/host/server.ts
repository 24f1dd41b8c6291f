import { existsSync } from 'node:fs';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { dirname, join, resolve, sep } from 'node:path';
import type { Duplex } from 'node:stream';
import { fileURLToPath } from 'node:url';
import { CallMessage, HOST_PATHS, type ServerMessage } from '@vmp/shared/api';
import { AppError, serializeError } from '@vmp/shared/errors';
import { type WebSocket, WebSocketServer } from 'ws';
import { type Core, type CoreOptions, createCore } from '../core/core.ts';
import { dispatch, resultMessage } from '../core/dispatch.ts';
import { type MediaRouteKind, mediaFile, parseMediaPath } from '../core/media.ts';
import { hostPlatform } from '../core/platform.ts';
import { hostHeaderAllowed, originAllowed, requestToken, TOKEN_COOKIE, tokenMatches } from './auth.ts';
import { checkBind, DEFAULT_BIND } from './config.ts';
import { appErrorOf, CSP, sendError, sendFile, sendJson, sendPage, statusOfCode } from './http-util.ts';
import { receiveUpload } from './upload.ts';

export interface HostOptions extends Omit<CoreOptions, 'dataDir'> {
  dataDir: string;
  port?: number;
  host?: string;
  token?: string;
  /** Built renderer (index.html + assets). Default: desktop/dist/renderer. */
  rendererDir?: string;
  /** Use an existing core instead of creating one (it is closed with the host either way). */
  core?: Core;
}

export interface RunningHost {
  /** Base URL, e.g. http://127.0.0.1:5170/ */
  url: string;
  /** URL to open in a browser: carries ?token= when a token is set (the host then sets a cookie). */
  openUrl: string;
  port: number;
  core: Core;
  close(): Promise<void>;
}

/** desktop/dist/renderer, found from this file: src/host/ and dist/cli/ sit at the same depth. */
export function defaultRendererDir(): string {
  return join(dirname(fileURLToPath(import.meta.url)), '..', '..', 'dist', 'renderer');
}

const BUILD_HINT =
  'The app UI is not built yet. Run "npm run build:renderer -w desktop" in the repository, then reload.';

/**
 * The browser host: the built renderer, the app API over a WebSocket (HOST_PATHS.socket), uploads and media with
 * Range. Loopback by default; any other bind needs a token, and then every request must carry it.
 */
export async function startHost(options: HostOptions): Promise<RunningHost> {
  const bind = options.host ?? DEFAULT_BIND;
  const token = options.token || undefined;
  checkBind(bind, token);
  const rendererDir = resolve(options.rendererDir ?? defaultRendererDir());
  const core = options.core ?? createCore({ platform: hostPlatform(), ...options });

  const sockets = new Set<WebSocket>();
  const wss = new WebSocketServer({ noServer: true, maxPayload: 4 * 1024 * 1024 });
  const unsubscribe = core.subscribe((event) => {
    const text = JSON.stringify({ type: 'event', event } satisfies ServerMessage);
    for (const socket of sockets) if (socket.readyState === socket.OPEN) socket.send(text);
  });

  wss.on('connection', (socket: WebSocket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    socket.on('error', () => sockets.delete(socket));
    socket.on('message', async (data) => {
      let id = -1;
      let reply: ServerMessage;
      try {
        let raw: unknown;
        try {
          raw = JSON.parse(String(data));
        } catch {
          throw new AppError('BAD_MESSAGE', 'Messages must be JSON: {type:"call", id, method, input}.', {
            status: 400,
          });
        }
        if (raw && typeof raw === 'object' && 'id' in raw && Number.isInteger(raw.id)) id = raw.id as number;
        const call = CallMessage.safeParse(raw);
        if (!call.success)
          throw new AppError('BAD_MESSAGE', 'Messages must be {type:"call", id, method, input}.', { status: 400 });
        const result = await dispatch(core, call.data.method, call.data.input);
        reply = resultMessage(call.data.id, result);
      } catch (error) {
        reply = { type: 'result', id, ok: false, error: serializeError(error) };
      }
      if (socket.readyState === socket.OPEN) socket.send(JSON.stringify(reply));
    });
  });

  /** Token and Host checks shared by HTTP and upgrades; answers the failure itself. */
  function authorised(
    req: IncomingMessage,
    url: URL,
  ): { ok: true; setCookie: boolean } | { ok: false; status: number; message: string } {
    if (!hostHeaderAllowed(req, token !== undefined)) {
      return {
        ok: false,
        status: 403,
        message: 'This host only answers requests addressed to 127.0.0.1 or localhost.',
      };
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

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://host');
    const auth = authorised(req, url);
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
  }

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
      const file = await receiveUpload(req, core.mediaDir(projectId), name, core.settings().maxClipBytes);
      const result = await dispatch(core, 'clips.import', {
        projectId,
        paths: [file],
        ...(groupId ? { groupId } : {}),
      });
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

  async function serveMedia(
    req: IncomingMessage,
    res: ServerResponse,
    kind: MediaRouteKind,
    id: string,
  ): Promise<void> {
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
    // Client-side routes get the app; missing assets get a 404.
    if (/\.[a-z0-9]+$/i.test(decoded) && !decoded.endsWith('.html')) {
      sendPage(res, 404, 'Not found', `${decoded} does not exist.`);
      return;
    }
    sendFile(req, res, index, html);
  }

  const server = createServer((req, res) => {
    handle(req, res).catch((error: unknown) => sendError(res, 500, error));
  });

  server.on('upgrade', (req: IncomingMessage, socket: Duplex, head: Buffer) => {
    const url = new URL(req.url ?? '/', 'http://host');
    const refuse = (status: number, message: string) => {
      socket.end(
        `HTTP/1.1 ${status} ${status === 401 ? 'Unauthorized' : status === 404 ? 'Not Found' : 'Forbidden'}\r\nconnection: close\r\ncontent-type: text/plain\r\n\r\n${message}`,
      );
    };
    if (url.pathname !== HOST_PATHS.socket) return refuse(404, 'No WebSocket here.');
    if (!originAllowed(req)) return refuse(403, 'WebSocket connections are only accepted from pages of this host.');
    const auth = authorised(req, url);
    if (!auth.ok) return refuse(auth.status, auth.message);
    wss.handleUpgrade(req, socket, head, (ws) => wss.emit('connection', ws, req));
  });

  await new Promise<void>((resolveListen, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, bind, () => {
      server.off('error', reject);
      resolveListen();
    });
  });
  const port = (server.address() as AddressInfo).port;
  const shownHost = bind.includes(':') ? `[${bind}]` : bind === '0.0.0.0' ? '127.0.0.1' : bind;
  const url = `http://${shownHost}:${port}/`;

  let closing: Promise<void> | undefined;
  return {
    url,
    openUrl: token ? `${url}?token=${encodeURIComponent(token)}` : url,
    port,
    core,
    close: () => {
      closing ??= (async () => {
        unsubscribe();
        for (const socket of sockets) socket.terminate();
        wss.close();
        server.closeAllConnections();
        await new Promise<void>((r) => server.close(() => r()));
        await core.close();
      })();
      return closing;
    },
  };
}
