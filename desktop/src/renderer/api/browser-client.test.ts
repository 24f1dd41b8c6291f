import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { HOST_PATHS } from '@vmp/shared/api';
import { afterEach, describe, expect, it } from 'vitest';
import { WebSocket, WebSocketServer } from 'ws';
import { type BrowserClient, createBrowserClient, type SocketLike } from './browser-client.ts';
import { ApiError, ConnectionError } from './errors.ts';

// A real ws server on a real port; the client uses the `ws` package's WebSocket (Node 20 has no global one).
const createSocket = (url: string) => new WebSocket(url) as unknown as SocketLike;
const fastBackoff = { base: 5, max: 20, jitter: 0 };

interface Host {
  http: Server;
  wss: WebSocketServer;
  port: number;
  received: Array<{ id: number; method: string; input: unknown }>;
  answer: (msg: { id: number; method: string; input: unknown }, socket: WebSocket) => void;
}

const hosts: Host[] = [];
const clients: BrowserClient[] = [];

async function startHost(port = 0): Promise<Host> {
  const http = createServer();
  const wss = new WebSocketServer({ server: http, path: HOST_PATHS.socket });
  const host: Host = {
    http,
    wss,
    port: 0,
    received: [],
    answer: (msg, socket) =>
      socket.send(
        JSON.stringify({
          type: 'result',
          id: msg.id,
          ok: true,
          output: { paused: false, running: 0, pending: 0, concurrency: 2 },
        }),
      ),
  };
  wss.on('connection', (socket) => {
    socket.on('message', (data) => {
      const msg = JSON.parse(String(data));
      host.received.push(msg);
      host.answer(msg, socket);
    });
  });
  await new Promise<void>((resolve) => http.listen(port, '127.0.0.1', resolve));
  host.port = (http.address() as AddressInfo).port;
  hosts.push(host);
  return host;
}

async function stopHost(host: Host) {
  for (const client of host.wss.clients) client.terminate();
  await new Promise<void>((resolve) => host.wss.close(() => resolve()));
  await new Promise<void>((resolve) => host.http.close(() => resolve()));
}

function client(host: Host) {
  const c = createBrowserClient(`ws://127.0.0.1:${host.port}${HOST_PATHS.socket}`, {
    createSocket,
    backoff: fastBackoff,
  });
  clients.push(c);
  return c;
}

function waitFor(check: () => boolean): Promise<void> {
  return new Promise((resolve) => {
    const tick = () => (check() ? resolve() : setTimeout(tick, 5));
    tick();
  });
}

afterEach(async () => {
  for (const c of clients.splice(0)) c.close();
  for (const h of hosts.splice(0)) if (h.http.listening) await stopHost(h);
});

describe('createBrowserClient', () => {
  it('sends calls made before the socket opens and resolves with validated output', async () => {
    const host = await startHost();
    const c = client(host);
    const queue = await c.call('queue.state', {});
    expect(queue).toEqual({ paused: false, running: 0, pending: 0, concurrency: 2 });
    expect(host.received[0]).toMatchObject({ method: 'queue.state', input: {} });
    expect(c.connected).toBe(true);
  });

  it('pairs out-of-order results with their calls', async () => {
    const host = await startHost();
    const held: Array<() => void> = [];
    host.answer = (msg, socket) => {
      const reply = () =>
        socket.send(
          JSON.stringify({
            type: 'result',
            id: msg.id,
            ok: true,
            output: { paused: msg.method === 'queue.pause', running: 0, pending: 0, concurrency: 1 },
          }),
        );
      held.push(reply);
      if (held.length === 2) for (const r of held.reverse()) r();
    };
    const c = client(host);
    const [paused, resumed] = await Promise.all([c.call('queue.pause', {}), c.call('queue.resume', {})]);
    expect(paused.paused).toBe(true);
    expect(resumed.paused).toBe(false);
  });

  it('rejects with the wire error code and message', async () => {
    const host = await startHost();
    host.answer = (msg, socket) =>
      socket.send(
        JSON.stringify({
          type: 'result',
          id: msg.id,
          ok: false,
          error: { code: 'NOT_FOUND', message: 'Project p1 does not exist' },
        }),
      );
    const c = client(host);
    const error = await c.call('projects.get', { projectId: 'p1' }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ApiError);
    expect(error).toMatchObject({ code: 'NOT_FOUND', message: 'Project p1 does not exist' });
  });

  it('refuses invalid input before sending, naming the field', async () => {
    const host = await startHost();
    const c = client(host);
    const error = await c.call('projects.create', { name: '  ' }).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'VALIDATION_ERROR', message: 'name: must not be empty' });
    expect(host.received).toHaveLength(0);
  });

  it('delivers valid events and drops malformed messages', async () => {
    const host = await startHost();
    const c = client(host);
    const events: string[] = [];
    c.subscribe((e) => events.push(e.type));
    await c.call('queue.state', {});
    const [socket] = [...host.wss.clients];
    socket?.send('not json');
    socket?.send(JSON.stringify({ type: 'event', event: { type: 'bogus' } }));
    socket?.send(JSON.stringify({ type: 'event', event: { type: 'projects.changed' } }));
    socket?.send(JSON.stringify({ type: 'event', event: { type: 'notice', level: 'info', message: 'hi' } }));
    await waitFor(() => events.length === 2);
    expect(events).toEqual(['projects.changed', 'notice']);
  });

  it('fails calls in flight when the socket drops, then reconnects on the same port', async () => {
    const host = await startHost();
    host.answer = () => {}; // never answers
    const c = client(host);
    const states: boolean[] = [];
    c.onConnectionChange?.((connected) => states.push(connected));
    const inFlight = c.call('queue.state', {}).catch((e: unknown) => e);
    await waitFor(() => host.received.length === 1);
    const { port } = host;
    await stopHost(host);
    const error = await inFlight;
    expect(error).toBeInstanceOf(ConnectionError);
    expect((error as Error).message).toMatch(/queue\.state/);
    // While disconnected, new calls fail at once instead of hanging.
    await expect(c.call('queue.state', {})).rejects.toBeInstanceOf(ConnectionError);
    await startHost(port);
    await waitFor(() => c.connected);
    await expect(c.call('queue.state', {})).resolves.toMatchObject({ concurrency: 2 });
    expect(states).toEqual([false, true, false, true]);
  });

  it('builds media URLs from HOST_PATHS on the host origin', async () => {
    const host = await startHost();
    const c = client(host);
    expect(c.mediaUrl('thumbnail', 'a b')).toBe(`http://127.0.0.1:${host.port}/media/thumbnail/a%20b`);
    expect(c.mediaUrl('output', 'o1')).toBe(`http://127.0.0.1:${host.port}${HOST_PATHS.output('o1')}`);
  });

  it('uploads files with their names and reports progress; a refused file is listed as skipped', async () => {
    const host = await startHost();
    const seen: Array<{ name: string | null; bytes: number }> = [];
    host.http.on('request', (req, res) => {
      const url = new URL(req.url ?? '/', 'http://x');
      if (url.pathname !== HOST_PATHS.upload) return;
      let bytes = 0;
      req.on('data', (chunk: Buffer) => {
        bytes += chunk.length;
      });
      req.on('end', () => {
        const name = url.searchParams.get('name');
        seen.push({ name, bytes });
        res.setHeader('content-type', 'application/json');
        if (name === 'bad.txt') {
          res.statusCode = 422;
          res.end(JSON.stringify({ error: { code: 'VALIDATION_ERROR', message: 'bad.txt is not a video file' } }));
          return;
        }
        res.end(JSON.stringify({ clips: [], skipped: [{ path: `/media/${name}`, reason: 'duplicate' }] }));
      });
    });
    const c = client(host);
    const progress: Array<[number, number]> = [];
    const files = [new File([new Uint8Array(1000)], 'a.mp4'), new File([new Uint8Array(10)], 'bad.txt')];
    const result = await c.upload!('p1', files, { groupId: 'g1', onProgress: (s, t) => progress.push([s, t]) });
    expect(seen).toEqual([
      { name: 'a.mp4', bytes: 1000 },
      { name: 'bad.txt', bytes: 10 },
    ]);
    expect(result.skipped).toEqual([
      { path: '/media/a.mp4', reason: 'duplicate' },
      { path: 'bad.txt', reason: 'bad.txt is not a video file' },
    ]);
    expect(progress.at(-1)).toEqual([1010, 1010]);
  });
});
