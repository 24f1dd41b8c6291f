// Open-loop load at an even rate, wrk2-style: request i is due at t0 + i/rate and is sent then whether or not
// earlier ones have answered; its latency runs from that due time, so a slow server (or a late generator)
// shows up in the figures instead of quietly lowering the rate. Each request is built when it is sent (fresh
// timestamp, nonce and signature). Keep-alive sockets, one request in flight per socket, written and parsed
// by hand: the generator shares two cores with the server and PostgreSQL, and node:http costs it about
// 0.25 ms of CPU per request where this costs a fraction of that.
import { connect, type Socket } from 'node:net';
import { performance } from 'node:perf_hooks';

export interface OpenLoopRequest {
  method: string;
  path: string;
  headers?: Record<string, string>;
  body?: string;
}

export interface OpenLoopOptions {
  url: string;
  rate: number;
  seconds: number;
  /** Called at send time, so every request can carry a fresh timestamp, nonce and signature. */
  build: () => OpenLoopRequest;
  /** Reused across runs, so warm-up opens the sockets. */
  pool: ConnectionPool;
  /** Requests still unanswered this long after the last one was due count as unanswered. */
  drainMs?: number;
}

export interface OpenLoopResult {
  /** 2xx answers per second over the run. */
  achievedRate: number;
  sent: number;
  ok: number;
  non2xx: number;
  /** Socket errors and unparseable answers. */
  errors: number;
  /** Still unanswered at the end. */
  timeouts: number;
  /** Milliseconds from due time to the end of the answer, 2xx answers only. */
  p50: number;
  p99: number;
  p999: number;
  max: number;
  /** How late the generator itself sent requests (already included in the latencies). */
  sendLagP99: number;
  /** CPU the generator process used, ms per request sent. */
  cpuMsPerRequest: number;
}

type Done = (status: number) => void;

/** One keep-alive connection with at most one request in flight. */
class Connection {
  private buffer: Buffer = Buffer.alloc(0);
  private pending?: Done;
  closed = false;

  constructor(
    readonly socket: Socket,
    private readonly onFree: (c: Connection) => void,
  ) {
    socket.setNoDelay(true);
    socket.on('data', (chunk) => this.onData(chunk));
    const fail = () => {
      this.closed = true;
      const done = this.pending;
      this.pending = undefined;
      done?.(-1);
    };
    socket.on('error', fail);
    socket.on('close', fail);
  }

  send(wire: string, done: Done): void {
    this.pending = done;
    this.socket.write(wire);
  }

  private onData(chunk: Buffer): void {
    this.buffer = this.buffer.length ? Buffer.concat([this.buffer, chunk]) : chunk;
    const end = this.buffer.indexOf('\r\n\r\n');
    if (end < 0) return;
    const head = this.buffer.toString('latin1', 0, end);
    const status = Number(head.slice(9, 12));
    const length = /\r\ncontent-length:\s*(\d+)/i.exec(head);
    // The server under test always sends Content-Length (JSON bodies) or nothing (204).
    if (!length && status !== 204 && status !== 304) {
      this.socket.destroy();
      return;
    }
    const total = end + 4 + (length ? Number(length[1]) : 0);
    if (this.buffer.length < total) return;
    this.buffer = this.buffer.subarray(total);
    const done = this.pending;
    this.pending = undefined;
    this.onFree(this);
    done?.(Number.isInteger(status) ? status : -1);
  }
}

/** Keep-alive connections to one server; requests wait in order for a free one. */
export class ConnectionPool {
  private readonly free: Connection[] = [];
  private readonly all = new Set<Connection>();
  private readonly waiting: { wire: string; done: Done }[] = [];
  private readonly host: string;
  private readonly port: number;

  constructor(
    url: string,
    private readonly max = 64,
  ) {
    const target = new URL(url);
    this.host = target.hostname;
    this.port = Number(target.port);
  }

  send(wire: string, done: Done): void {
    let connection = this.free.pop();
    while (connection?.closed) connection = this.free.pop();
    if (!connection && this.all.size < this.max) {
      const socket = connect(this.port, this.host);
      connection = new Connection(socket, (c) => this.release(c));
      this.all.add(connection);
      const created = connection;
      socket.on('close', () => this.all.delete(created));
    }
    if (connection) connection.send(wire, done);
    else this.waiting.push({ wire, done });
  }

  private release(connection: Connection): void {
    const next = this.waiting.shift();
    if (next) connection.send(next.wire, next.done);
    // Most recently used first: a light load stays on few sockets.
    else this.free.push(connection);
  }

  /** Forgets requests still waiting for a socket, so an overloaded run does not spill into the next one. */
  dropWaiting(): void {
    this.waiting.length = 0;
  }

  close(): void {
    this.dropWaiting();
    for (const c of this.all) c.socket.destroy();
  }
}

function percentile(sorted: Float64Array, q: number): number {
  if (sorted.length === 0) return Number.NaN;
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))]!;
}

function wireFormat(host: string, spec: OpenLoopRequest): string {
  let head = `${spec.method} ${spec.path} HTTP/1.1\r\nhost: ${host}\r\n`;
  for (const [name, value] of Object.entries(spec.headers ?? {})) head += `${name}: ${value}\r\n`;
  if (spec.body !== undefined) head += `content-length: ${Buffer.byteLength(spec.body)}\r\n`;
  return `${head}\r\n${spec.body ?? ''}`;
}

export function openLoop(options: OpenLoopOptions): Promise<OpenLoopResult> {
  const { rate, seconds, build, pool } = options;
  const host = new URL(options.url).host;
  const total = Math.round(rate * seconds);
  const interval = 1000 / rate;
  const latencies = new Float64Array(total);
  const lags = new Float64Array(total);
  let sent = 0;
  let ok = 0;
  let non2xx = 0;
  let errors = 0;
  let settled = 0;
  let lastAnswer = 0;
  let finished = false;
  const cpuBefore = process.cpuUsage();
  const t0 = performance.now() + 5;

  return new Promise((resolve) => {
    let drainTimer: NodeJS.Timeout | undefined;
    const finish = () => {
      if (finished) return;
      finished = true;
      clearTimeout(drainTimer);
      pool.dropWaiting();
      const cpu = process.cpuUsage(cpuBefore);
      const done = latencies.subarray(0, ok).sort();
      resolve({
        achievedRate: (ok * 1000) / Math.max(lastAnswer - t0, seconds * 1000),
        sent,
        ok,
        non2xx,
        errors,
        timeouts: sent - settled,
        p50: percentile(done, 0.5),
        p99: percentile(done, 0.99),
        p999: percentile(done, 0.999),
        max: done.length ? done[done.length - 1]! : Number.NaN,
        sendLagP99: percentile(lags.subarray(0, sent).sort(), 0.99),
        cpuMsPerRequest: (cpu.user + cpu.system) / 1000 / Math.max(sent, 1),
      });
    };
    const send = (due: number) => {
      const wire = wireFormat(host, build());
      lags[sent++] = performance.now() - due;
      pool.send(wire, (status) => {
        if (finished) return;
        const at = performance.now();
        lastAnswer = at;
        if (status >= 200 && status < 300) latencies[ok++] = at - due;
        else if (status > 0) non2xx++;
        else errors++;
        settled++;
        if (sent === total && settled === total) finish();
      });
    };
    // Timers fire at best every millisecond: each tick sends every request that has come due since the last.
    const tick = () => {
      const now = performance.now();
      while (sent < total && t0 + sent * interval <= now) send(t0 + sent * interval);
      if (sent < total) setTimeout(tick, Math.max(0, t0 + sent * interval - performance.now()));
      else drainTimer = setTimeout(finish, options.drainMs ?? 5000);
    };
    setTimeout(tick, 5);
  });
}
