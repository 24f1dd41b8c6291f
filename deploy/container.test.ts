// The server image, built from deploy/Containerfile on a locally made Node base (no registry here), run with its own
// entrypoint and command under `buildah run --isolation chroot` (which shares this machine's network) against the
// test PostgreSQL. One build per run: this file is the only one that builds.
import { execFile, execFileSync, spawn } from 'node:child_process';
import { randomBytes, randomUUID } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signRequest } from '../shared/src/signing.ts';
import { followProcess, type ServerProcess } from './server-process.ts';

const run = promisify(execFile);
const root = fileURLToPath(new URL('..', import.meta.url));
const adminUrl = process.env.TEST_DATABASE_URL || 'postgres://postgres:postgres@127.0.0.1:5432/postgres';
const ADMIN_TOKEN = `admin-${randomBytes(12).toString('hex')}`;
const tag = `localhost/vmp-server:test-${randomBytes(4).toString('hex')}`;

function has(command: string): boolean {
  try {
    execFileSync('sh', ['-c', `command -v ${command}`], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}
// scripts/test-deps.sh installs both; building needs root (debootstrap, buildah's chroot isolation).
const canBuild = process.getuid?.() === 0 && has('buildah') && has('debootstrap');

interface ImageConfig {
  User: string;
  WorkingDir: string;
  Entrypoint: string[];
  Cmd: string[] | null;
  Env: string[];
  Healthcheck?: { Test: string[] };
}

const databases: string[] = [];
const containers: string[] = [];
const processes: ServerProcess[] = [];
let config: ImageConfig;

async function emptyDatabase(): Promise<string> {
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  const name = `vmp_container_${randomBytes(6).toString('hex')}`;
  await admin.query(`create database ${name}`);
  await admin.end();
  databases.push(name);
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  return url.toString();
}

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}

async function container(): Promise<string> {
  const { stdout } = await run('buildah', ['from', '--pull=never', tag]);
  const name = stdout.trim();
  containers.push(name);
  return name;
}

/** `buildah run` of the image's entrypoint followed by `args` (the image's CMD when absent). */
async function runImage(env: Record<string, string>, args?: string[]): Promise<ServerProcess> {
  const name = await container();
  const envArgs = Object.entries(env).flatMap(([k, v]) => ['--env', `${k}=${v}`]);
  const command = [...config.Entrypoint, ...(args ?? config.Cmd ?? [])];
  const child = spawn('buildah', ['run', '--isolation', 'chroot', ...envArgs, name, '--', ...command], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const started = followProcess(child);
  processes.push(started);
  return started;
}

/** Pids of the processes below `pid` (buildah run → chroot helper → node). */
function descendants(pid: number): number[] {
  const parent = new Map<number, number>();
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      parent.set(Number(entry), Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]));
    } catch {}
  }
  const out: number[] = [];
  const walk = (p: number) => {
    for (const [child, ppid] of parent) {
      if (ppid === p) {
        out.push(child);
        walk(child);
      }
    }
  };
  walk(pid);
  return out;
}

beforeAll(async () => {
  if (!canBuild) return;
  const started = Date.now();
  await run('bash', ['scripts/container/build-server-image.sh', tag], { cwd: root, maxBuffer: 64 << 20 });
  console.log(`base (cached by content) and server image built in ${Math.round((Date.now() - started) / 1000)} s`);
  const { stdout } = await run('buildah', ['inspect', '--type', 'image', tag], { maxBuffer: 16 << 20 });
  config = (JSON.parse(stdout) as { Docker: { config: ImageConfig } }).Docker.config;
}, 20 * 60_000);

afterAll(async () => {
  for (const p of processes) {
    if (p.child.exitCode === null) {
      for (const pid of descendants(p.child.pid!)) {
        try {
          process.kill(pid, 'SIGKILL');
        } catch {}
      }
      p.child.kill('SIGKILL');
    }
  }
  for (const name of containers) await run('buildah', ['rm', name]).catch(() => {});
  if (canBuild) await run('buildah', ['rmi', tag]).catch(() => {});
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  for (const name of databases) await admin.query(`drop database if exists ${name} with (force)`);
  await admin.end();
});

describe.skipIf(!canBuild)('server container image', () => {
  it('runs as a non-root user with a health check and only the server production dependencies', async () => {
    expect(config.User).toMatch(/^[1-9]\d*(:\d+)?$/);
    expect(config.Healthcheck?.Test[0]).toBe('CMD');
    const name = await container();
    const { stdout } = await run('buildah', [
      'run',
      '--isolation',
      'chroot',
      name,
      '--',
      'sh',
      '-c',
      'id -u; ls /app; ls /app/node_modules /app/node_modules/@vmp',
    ]);
    const lines = stdout.split('\n');
    expect(lines[0]).not.toBe('0');
    expect(lines).not.toContain('desktop');
    for (const tool of ['electron', 'vite', 'vitest', 'react', 'better-sqlite3', 'typescript', 'drizzle-kit']) {
      expect(lines, tool).not.toContain(tool);
    }
    expect(lines).toContain('fastify');
    expect(lines).toContain('tsx');
  });

  it('migrates an empty database, serves /ready, a registration and a machine activation, and stops on SIGTERM', async () => {
    const port = await freePort();
    const base = `http://127.0.0.1:${port}`;
    const server = await runImage({
      HOST: '127.0.0.1',
      PORT: String(port),
      DATABASE_URL: await emptyDatabase(),
      VMP_ADMIN_TOKEN: ADMIN_TOKEN,
    });
    await server.waitFor('Video Mixer Pro server listening');

    const ready = await fetch(`${base}/ready`);
    expect(ready.status).toBe(200);
    expect(await ready.json()).toEqual({ status: 'ready', database: 'postgres' });

    const email = `container-${randomUUID()}@example.com`;
    const registered = await fetch(`${base}/v1/auth/register`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email, password: 'correct horse battery' }),
    });
    expect(registered.status).toBe(201);

    const license = await fetch(`${base}/v1/admin/licenses`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${ADMIN_TOKEN}` },
      body: JSON.stringify({ email, type: 'PRO', maxActivations: 2 }),
    });
    expect(license.status).toBe(201);
    const { licenseKey } = (await license.json()) as { licenseKey: string };
    const body = JSON.stringify({ licenseKey, machineId: `m-${randomUUID()}`, appVersion: '1.0.0', platform: 'linux' });
    const activated = await fetch(`${base}/v1/licenses/activate`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        ...signRequest({ key: licenseKey, method: 'POST', path: '/v1/licenses/activate', body }),
      },
      body,
    });
    expect(activated.status).toBe(201);
    const activation = (await activated.json()) as { lease: string; seats: { used: number; max: number } };
    expect(activation.lease.split('.')).toHaveLength(3);
    expect(activation.seats).toEqual({ used: 1, max: 2 });

    // The image's own HEALTHCHECK command, run inside the image's filesystem.
    const check = await container();
    await expect(
      run('buildah', [
        'run',
        '--isolation',
        'chroot',
        '--env',
        `PORT=${port}`,
        check,
        '--',
        ...config.Healthcheck!.Test.slice(1),
      ]),
    ).resolves.toBeDefined();

    // buildah run kills rather than forwards signals: SIGTERM the server process itself, as a runtime would.
    const node = descendants(server.child.pid!).filter((pid) => {
      try {
        return (
          readFileSync(`/proc/${pid}/cmdline`, 'utf8').includes('server/src/main.ts') &&
          readFileSync(`/proc/${pid}/comm`, 'utf8').trim() === 'node'
        );
      } catch {
        return false;
      }
    });
    expect(node).toHaveLength(1);
    process.kill(node[0]!, 'SIGTERM');
    expect(await server.exited).toBe(0);
    expect(server.output()).toContain('shutting down');
  });

  it('--migrate-only (compose and the Kubernetes Job) migrates an empty database and exits 0', async () => {
    const url = await emptyDatabase();
    const migrate = await runImage({ DATABASE_URL: url }, ['--migrate-only']);
    expect(await migrate.exited).toBe(0);
    expect(migrate.output()).toContain('database migrations applied');
    const db = new pg.Client({ connectionString: url });
    await db.connect();
    const { rows } = await db.query(
      "select count(*)::int as n from information_schema.tables where table_name = 'users'",
    );
    await db.end();
    expect(rows[0].n).toBe(1);
  });
});
