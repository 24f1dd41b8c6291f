// `--workers N`: several server processes on one port (node:cluster), sharing PostgreSQL and the Redis rate limits.
import { type ChildProcess, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { Redis } from 'ioredis';
import { afterAll, describe, expect, it } from 'vitest';
import { registerUser, startApp, testDatabaseUrl } from './helpers.ts';

const REDIS_URL = process.env.TEST_REDIS_URL || 'redis://127.0.0.1:6379';
const serverDir = fileURLToPath(new URL('..', import.meta.url));
const prefix = `vmp-test-${randomBytes(6).toString('hex')}:`;
const children: ChildProcess[] = [];

afterAll(async () => {
  for (const child of children) if (child.exitCode === null) child.kill('SIGKILL');
  const redis = new Redis(REDIS_URL, { maxRetriesPerRequest: 1 });
  const keys = await redis.keys(`${prefix}*`);
  if (keys.length) await redis.del(...keys);
  await redis.quit();
});

interface Started {
  child: ChildProcess;
  /** Everything the primary and its workers printed so far. */
  output: () => string;
  /** Resolves once `count` workers logged that they listen; their pids and the one address. */
  listening: (count: number) => Promise<{ pids: number[]; url: string }>;
  exited: Promise<number | null>;
}

function start(args: string[], env: Record<string, string>): Started {
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts', ...args], {
    cwd: serverDir,
    env: { ...process.env, HOST: '127.0.0.1', PORT: '0', LOG_LEVEL: 'info', DB_POOL_SIZE: '2', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  children.push(child);
  let out = '';
  const waiters: (() => void)[] = [];
  const onData = (chunk: Buffer) => {
    out += chunk;
    for (const w of waiters) w();
  };
  child.stdout!.on('data', onData);
  child.stderr!.on('data', onData);
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  const listening = (count: number) =>
    new Promise<{ pids: number[]; url: string }>((resolve, reject) => {
      const check = () => {
        const lines = out.split('\n').filter((l) => l.includes('Video Mixer Pro server listening'));
        if (lines.length < count) return;
        const parsed = lines.map((l) => JSON.parse(l) as { pid: number; address: string });
        resolve({ pids: parsed.map((p) => p.pid), url: parsed[0]!.address });
      };
      waiters.push(check);
      check();
      void exited.then((code) => reject(new Error(`server exited (${code}):\n${out}`)));
    });
  return { child, output: () => out, listening, exited };
}

describe('--workers', () => {
  it('serves from two processes on one port, shares the login limit through Redis, replaces a dead worker, and stops on SIGTERM', async () => {
    const local = await startApp();
    const user = await registerUser(local);
    await local.close();
    const server = start(['--workers', '2'], {
      DATABASE_URL: testDatabaseUrl(),
      REDIS_URL,
      VMP_REDIS_PREFIX: prefix,
      VMP_RATE_LOGIN_PER_EMAIL: '10',
      VMP_RATE_AUTH_PER_IP: '100',
    });
    const { pids, url } = await server.listening(2);
    expect(new Set(pids).size).toBe(2);
    expect(pids).not.toContain(server.child.pid);

    // A new connection per request: the primary hands connections to the workers in turn.
    const statuses: number[] = [];
    for (let i = 0; i < 14; i++) {
      const res = await fetch(`${url}/v1/auth/login`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', connection: 'close' },
        body: JSON.stringify({ email: user.email, password: i === 0 ? user.password : 'wrong password!' }),
      });
      statuses.push(res.status);
    }
    expect(statuses).toEqual([200, ...Array(9).fill(401), ...Array(4).fill(429)]);

    process.kill(pids[0]!, 'SIGKILL');
    const after = await server.listening(3);
    expect(server.output()).toContain('a worker stopped; starting another');
    expect((await fetch(`${after.url}/health`, { headers: { connection: 'close' } })).status).toBe(200);

    server.child.kill('SIGTERM');
    expect(await server.exited).toBe(0);
    for (const pid of after.pids.slice(1)) expect(() => process.kill(pid, 0)).toThrow();
  });

  it('refuses to start several workers without Redis or without PostgreSQL, saying why', async () => {
    const noRedis = start(['--workers', '2'], { DATABASE_URL: testDatabaseUrl(), REDIS_URL: '' });
    expect(await noRedis.exited).toBe(2);
    expect(noRedis.output()).toContain('2 workers need REDIS_URL');
    const noPostgres = start([], { VMP_SERVER_WORKERS: '3', DATABASE_URL: '', REDIS_URL });
    expect(await noPostgres.exited).toBe(2);
    expect(noPostgres.output()).toContain('3 workers need PostgreSQL (DATABASE_URL)');
    const zero = start(['--workers', 'two'], { DATABASE_URL: testDatabaseUrl(), REDIS_URL });
    expect(await zero.exited).toBe(2);
    expect(zero.output()).toContain('--workers / VMP_SERVER_WORKERS must be a whole number of at least 1');
  });
});
