import { type ChildProcess, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { createServer } from 'node:net';
import { fileURLToPath } from 'node:url';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { registerUser, startApp, startAppWithLog, testDatabaseUrl } from './helpers.ts';

const REDIS_URL = process.env.TEST_REDIS_URL || 'redis://127.0.0.1:6379';
const serverDir = fileURLToPath(new URL('..', import.meta.url));
// Other suites share this Redis: every key of this run lives under its own prefix and is deleted afterwards.
const prefix = `vmp-test-${randomBytes(6).toString('hex')}:`;

interface Instance {
  child: ChildProcess;
  url: string;
}

/** Starts `src/main.ts` as its own process, exactly as `npm run server` does, and waits for its address. */
function startInstance(env: Record<string, string>): Promise<Instance> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts'], {
    cwd: serverDir,
    env: { ...process.env, HOST: '127.0.0.1', PORT: '0', LOG_LEVEL: 'info', DB_POOL_SIZE: '2', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  return new Promise((resolve, reject) => {
    let out = '';
    const onData = (chunk: Buffer) => {
      out += chunk;
      const match = /"address":"(http:\/\/127\.0\.0\.1:\d+)"/.exec(out);
      if (match) resolve({ child, url: match[1]! });
    };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', onData);
    child.on('exit', (code) => reject(new Error(`server exited (${code}): ${out}`)));
  });
}

async function stop(instance: Instance) {
  if (instance.child.exitCode !== null) return;
  const exited = new Promise((r) => instance.child.once('exit', r));
  instance.child.kill('SIGTERM');
  await exited;
}

let redis: Redis;
const instances: Instance[] = [];
beforeAll(async () => {
  redis = new Redis(REDIS_URL, { lazyConnect: true, maxRetriesPerRequest: 1 });
  try {
    await redis.connect();
  } catch (error) {
    throw new Error(
      `This test needs redis-server at ${REDIS_URL} (TEST_REDIS_URL): ${(error as Error).message}. Start it with bash scripts/test-deps.sh.`,
    );
  }
});
afterAll(async () => {
  await Promise.all(instances.map(stop));
  const keys = await redis.keys(`${prefix}*`);
  if (keys.length) await redis.del(...keys);
  await redis.quit();
});

describe('two server processes on one database and one Redis', () => {
  it('share the login limits: 10 attempts in all, not 10 each', async () => {
    const local = await startApp();
    const user = await registerUser(local);
    await local.close();
    const env = {
      DATABASE_URL: testDatabaseUrl(),
      REDIS_URL,
      VMP_REDIS_PREFIX: prefix,
      VMP_RATE_LOGIN_PER_EMAIL: '10',
      VMP_RATE_AUTH_PER_IP: '10',
    };
    instances.push(...(await Promise.all([startInstance(env), startInstance(env)])));
    const statuses: number[] = [];
    for (let i = 0; i < 20; i++) {
      const { url } = instances[i % 2]!;
      const res = await fetch(`${url}/v1/auth/login`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ email: user.email, password: i === 0 ? user.password : 'wrong password!' }),
      });
      statuses.push(res.status);
      if (res.status === 429) {
        expect(await res.json()).toMatchObject({ error: { code: 'RATE_LIMITED' } });
      }
    }
    expect(statuses).toEqual([200, ...Array(9).fill(401), ...Array(10).fill(429)]);
    // The counters are in Redis under this run's prefix, one per limit.
    const keys = await redis.keys(`${prefix}*`);
    expect(keys.some((k) => k.includes('auth-ip:'))).toBe(true);
    expect(keys.some((k) => k.includes(`login-email:${user.email}`))).toBe(true);
  });
});

/** A free TCP port on loopback (for a Redis of this test's own). */
function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

describe('when Redis is away', () => {
  it('refuses to start with a clear message when REDIS_URL is unreachable', async () => {
    const port = await freePort();
    await expect(startApp({ redisUrl: `redis://127.0.0.1:${port}` })).rejects.toThrow(
      /Redis \(REDIS_URL\) is unreachable/,
    );
  });

  it('keeps answering (limits skipped, a warning logged) when Redis dies after start', async () => {
    const port = await freePort();
    const own = spawn(
      'redis-server',
      ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'],
      {
        stdio: 'ignore',
      },
    );
    try {
      for (let i = 0; i < 50; i++) {
        const probe = new Redis(`redis://127.0.0.1:${port}`, { lazyConnect: true, maxRetriesPerRequest: 0 });
        probe.on('error', () => {});
        const up = await probe.connect().then(
          () => true,
          () => false,
        );
        probe.disconnect();
        if (up) break;
        await new Promise((r) => setTimeout(r, 100));
      }
      const { app, lines } = await startAppWithLog({
        redisUrl: `redis://127.0.0.1:${port}`,
        redisPrefix: prefix,
        rateLimit: { authPerIp: 2, loginPerEmail: 2, activatePerIp: 2, adminPerIp: 2, windowMs: 60_000 },
      });
      try {
        const login = () =>
          app.inject({
            method: 'POST',
            url: '/v1/auth/login',
            payload: { email: 'x@example.test', password: 'wrong password' },
          });
        expect([(await login()).statusCode, (await login()).statusCode, (await login()).statusCode]).toEqual([
          401, 401, 429,
        ]);
        const exited = new Promise((r) => own.once('exit', r));
        own.kill('SIGKILL');
        await exited;
        await new Promise((r) => setTimeout(r, 200));
        const during = await login();
        expect(during.statusCode).toBe(401);
        expect(lines.some((l) => String(l.msg).startsWith('Redis (REDIS_URL) unavailable'))).toBe(true);
      } finally {
        await app.close();
      }
    } finally {
      if (own.exitCode === null) own.kill('SIGKILL');
    }
  });
});
