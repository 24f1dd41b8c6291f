// The Render farm password at rest: sealed by the machine secret store (the licensing key file here), never in the
// app database; the farm still connects with it (a private redis-server with requirepass and a real `vmp worker`),
// and a row saved with the password in it (before sealing existed) is moved to the secret store on first read.
import { type ChildProcess, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Project } from '@vmp/shared/api';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SETTINGS_KEY } from '../src/core/context.ts';
import { type Core, createCore } from '../src/core/core.ts';
import { FARM_PASSWORD_KEY } from '../src/core/farm-setting.ts';
import { hostPlatform } from '../src/core/platform.ts';
import { Store } from '../src/store/store.ts';
import { makeClip } from './fixtures/media.ts';
import { call } from './helpers/core.ts';
import { freePort, startVmp, stop, testFarmEnv, type VmpProcess } from './helpers/farm.ts';

const PASSWORD = `pw-${randomBytes(8).toString('hex')}`;
const farmEnv = testFarmEnv(`vmptest-secret-${randomBytes(4).toString('hex')}`);
Object.assign(process.env, farmEnv);

let root: string;
let port: number;
let redis: ChildProcess;
let worker: VmpProcess;
let core: Core | undefined;
let farmUrl: string;

const dataDir = () => join(root, 'data');
const secretEnv = () => ({ ...process.env, VMP_SECRET_STORE: 'key-file', VMP_KEY_DIR: join(root, 'keys') });

function openCore(): Core {
  core = createCore({
    dataDir: dataDir(),
    defaultOutputDir: join(root, 'share', 'out'),
    platform: hostPlatform({ PATH: '' }, 'linux'),
    backoffBaseMs: 50,
    licensing: { env: secretEnv(), background: false },
  });
  return core;
}

/** Every byte the app database keeps on disk (the file, its WAL and shared memory). */
function databaseBytes(): string {
  return readdirSync(dataDir())
    .filter((f) => f.startsWith('vmp.sqlite'))
    .map((f) => readFileSync(join(dataDir(), f)).toString('latin1'))
    .join('');
}

beforeAll(async () => {
  root = mkdtempSync(join(tmpdir(), 'vmp-farm-secret-'));
  port = await freePort();
  redis = spawn(
    'redis-server',
    ['--port', String(port), '--bind', '127.0.0.1', '--requirepass', PASSWORD, '--save', ''],
    {
      stdio: 'ignore',
    },
  );
  farmUrl = `redis://:${PASSWORD}@127.0.0.1:${port}`;
  for (let i = 0; ; i++) {
    const client = new Redis(farmUrl, { lazyConnect: true, retryStrategy: () => null });
    client.on('error', () => undefined);
    try {
      await client.connect();
      if ((await client.ping()) === 'PONG') break;
    } catch (error) {
      if (i > 100) throw error;
      await new Promise((r) => setTimeout(r, 100));
    } finally {
      client.disconnect();
    }
  }
  worker = startVmp(['worker', '--farm', farmUrl, '--root', root, '--cache-dir', join(root, 'farm-cache'), '-j', '1'], {
    ...farmEnv,
    VMP_CACHE_DIR: join(root, 'worker-cache'),
  });
  await worker.waitFor(/waiting for render batches/);
});

afterAll(async () => {
  await core?.close();
  if (worker) await stop(worker);
  redis?.kill('SIGKILL');
  rmSync(root, { recursive: true, force: true });
});

async function renderOnFarm(c: Core, name: string): Promise<void> {
  const media = join(root, 'share', 'clips', name);
  const project: Project = await call(c, 'projects.create', { name });
  const [hook, body, cta] = (await call(c, 'projects.get', { projectId: project.id })).groups;
  const clip = (n: string, color: string) => makeClip(media, n, { color, width: 160, height: 120, duration: 0.5 });
  const projectId = project.id;
  await call(c, 'clips.import', { projectId, groupId: hook!.id, paths: [await clip('a', 'red')] });
  await call(c, 'clips.import', { projectId, groupId: body!.id, paths: [await clip('body', 'green')] });
  await call(c, 'clips.import', { projectId, groupId: cta!.id, paths: [await clip('cta', 'white')] });
  await call(c, 'projects.update', { projectId, settings: { format: '1:1', fps: 15 } });
  const job = await call(c, 'jobs.start', { projectId });
  await c.queue.whenIdle();
  const { items } = await call(c, 'outputs.list', { jobId: job.id });
  expect(items.length).toBeGreaterThan(0);
  for (const output of items) {
    expect(output, output.error ?? '').toMatchObject({ status: 'completed', error: null });
    expect(output.worker).toMatch(new RegExp(`:${worker.child.pid}$`));
  }
}

describe('Render farm password at rest', () => {
  it('keeps the password out of the database file, shows ***, and still connects with it', async () => {
    const c = openCore();
    const saved = await call(c, 'app.updateSettings', { farmUrl });
    expect(saved.farmUrl).toBe(`redis://:***@127.0.0.1:${port}`);
    expect((await call(c, 'app.getSettings', {})).farmUrl).toBe(`redis://:***@127.0.0.1:${port}`);
    // The settings form sends the redacted URL back with other changes: the password stays.
    await call(c, 'app.updateSettings', { farmUrl: saved.farmUrl, concurrency: 1 });
    expect(c.store.settings.get<{ farmUrl: string }>(SETTINGS_KEY)?.farmUrl).toBe(`redis://127.0.0.1:${port}`);
    expect(c.store.settings.get<{ sealed: string }>(FARM_PASSWORD_KEY)?.sealed).toMatch(/^gcm1:/);
    expect(databaseBytes()).toContain(`127.0.0.1:${port}`);
    expect(databaseBytes()).not.toContain(PASSWORD);
    await renderOnFarm(c, 'Sealed');
    await c.close();
    core = undefined;
    expect(databaseBytes()).not.toContain(PASSWORD);
  });

  it('moves a password saved in the settings row by older versions to the secret store on first read', async () => {
    const store = Store.open(dataDir());
    const row = store.settings.get<Record<string, unknown>>(SETTINGS_KEY)!;
    store.settings.set(SETTINGS_KEY, { ...row, farmUrl });
    store.settings.set(FARM_PASSWORD_KEY, {});
    store.close();

    const c = openCore();
    expect((await call(c, 'app.getSettings', {})).farmUrl).toBe(`redis://:***@127.0.0.1:${port}`);
    expect(c.store.settings.get<{ farmUrl: string }>(SETTINGS_KEY)?.farmUrl).toBe(`redis://127.0.0.1:${port}`);
    expect(c.store.settings.get<{ sealed: string }>(FARM_PASSWORD_KEY)?.sealed).toMatch(/^gcm1:/);
    await renderOnFarm(c, 'Migrated');

    // Clearing the setting drops the sealed password too.
    expect(await call(c, 'app.updateSettings', { farmUrl: null })).toMatchObject({ farmUrl: null });
    expect(c.store.settings.get(FARM_PASSWORD_KEY)).toEqual({});
  });
});
