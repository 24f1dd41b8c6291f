import { createServer, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import { dirname, join, resolve } from 'node:path';
import type { Duplex } from 'node:stream';
import { fileURLToPath } from 'node:url';
import { HOST_PATHS } from '@vmp/shared/api';
import { type Core, type CoreOptions, createCore } from '../core/core.ts';
import { hostPlatform } from '../core/platform.ts';
import { originAllowed } from './auth.ts';
import { checkBind, DEFAULT_BIND } from './config.ts';
import { sendError } from './http-util.ts';
import { authorise, createRequestHandler } from './routes.ts';
import { createSocketApi } from './socket.ts';

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
  const socketApi = createSocketApi(core);
  const handle = createRequestHandler({ core, rendererDir, token });

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
    const auth = authorise(req, url, token);
    if (!auth.ok) return refuse(auth.status, auth.message);
    socketApi.accept(req, socket, head);
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
        socketApi.close();
        server.closeAllConnections();
        await new Promise<void>((r) => server.close(() => r()));
        await core.close();
      })();
      return closing;
    },
  };
}
