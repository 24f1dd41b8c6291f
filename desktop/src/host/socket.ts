import type { IncomingMessage } from 'node:http';
import { type AppInfo, CallMessage, type ServerMessage } from '@vmp/shared/api';
import { AppError, serializeError } from '@vmp/shared/errors';
import { type WebSocket, WebSocketServer } from 'ws';
import type { Core } from '../core/core.ts';
import { dispatch, resultMessage } from '../core/dispatch.ts';
import { isLoopback, withLocalPaths } from './upload.ts';

export interface SocketApi {
  /** Completes an upgrade the HTTP server has already authorised. */
  accept(req: IncomingMessage, socket: import('node:stream').Duplex, head: Buffer): void;
  close(): void;
}

/** Parses one client message; anything but a valid call is a BAD_MESSAGE naming the expected shape. */
function parseCall(data: unknown): { id: number; call?: CallMessage; error?: AppError } {
  let raw: unknown;
  try {
    raw = JSON.parse(String(data));
  } catch {
    return {
      id: -1,
      error: new AppError('BAD_MESSAGE', 'Messages must be JSON: {type:"call", id, method, input}.', { status: 400 }),
    };
  }
  const id = raw && typeof raw === 'object' && 'id' in raw && Number.isInteger(raw.id) ? (raw.id as number) : -1;
  const call = CallMessage.safeParse(raw);
  if (!call.success)
    return {
      id,
      error: new AppError('BAD_MESSAGE', 'Messages must be {type:"call", id, method, input}.', { status: 400 }),
    };
  return { id, call: call.data };
}

/** The app API over WebSocket: every call dispatched through the core's validated registry, every event broadcast. */
export function createSocketApi(core: Core): SocketApi {
  const sockets = new Set<WebSocket>();
  const wss = new WebSocketServer({ noServer: true, maxPayload: 4 * 1024 * 1024 });
  const unsubscribe = core.subscribe((event) => {
    const text = JSON.stringify({ type: 'event', event } satisfies ServerMessage);
    for (const socket of sockets) if (socket.readyState === socket.OPEN) socket.send(text);
  });

  wss.on('connection', (socket: WebSocket, req: IncomingMessage) => {
    const local = isLoopback(req.socket.remoteAddress);
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    socket.on('error', () => sockets.delete(socket));
    socket.on('message', async (data) => {
      const { id, call, error } = parseCall(data);
      let reply: ServerMessage;
      try {
        if (!call) throw error;
        const result = await dispatch(core, call.method, call.input);
        if (call.method === 'app.info' && result.ok) withLocalPaths(result.output as AppInfo, local);
        reply = resultMessage(call.id, result);
      } catch (failure) {
        reply = { type: 'result', id, ok: false, error: serializeError(failure) };
      }
      if (socket.readyState === socket.OPEN) socket.send(JSON.stringify(reply));
    });
  });

  return {
    accept: (req, socket, head) => wss.handleUpgrade(req, socket, head, (ws) => wss.emit('connection', ws, req)),
    close: () => {
      unsubscribe();
      for (const socket of sockets) socket.terminate();
      wss.close();
    },
  };
}
