import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Core, createCore } from '../../src/core/core.ts';
import { dispatch } from '../../src/core/dispatch.ts';
import { hostPlatform } from '../../src/core/platform.ts';
import { makeClip } from '../fixtures/media.ts';
import { call } from '../helpers/core.ts';
import { tempDir, until } from './helpers.ts';
import { admin, customer, freePort, type ServerProcess, startServerProcess } from './server-process.ts';

// How a licensed job is charged, judged by the real server's ledger: every output inside the job's commit (none as
// offline usage while the server answers), and the balance shown follows a refusal.
let dir: string;
let server: ServerProcess;
let core: Core;
let user: Awaited<ReturnType<typeof customer>>;
let projectId: string;
let hooks: string[];
let body: string;

/** A project of 2 hooks × 1 body: two outputs. */
async function project(name: string): Promise<string> {
  const { id } = await call(core, 'projects.create', { name });
  const groups = (await call(core, 'projects.get', { projectId: id })).groups;
  await call(core, 'clips.import', { projectId: id, paths: hooks, groupId: groups[0]!.id });
  await call(core, 'clips.import', { projectId: id, paths: [body], groupId: groups[1]!.id });
  await call(core, 'groups.delete', { groupId: groups[2]!.id });
  return id;
}

async function transactions(): Promise<{ amount: number; reason: string }[]> {
  await user.balance(); // logs in again if the token expired
  const res = await fetch(`${server.url}/v1/credits`, { headers: { authorization: `Bearer ${user.accessToken}` } });
  return ((await res.json()) as { transactions: { amount: number; reason: string }[] }).transactions;
}

beforeAll(async () => {
  dir = await tempDir('licensing-charges');
  server = await startServerProcess({ dataDir: join(dir, 'server'), port: await freePort() });
  user = await customer(server.url, { credits: 6 });
  core = createCore({
    dataDir: join(dir, 'data'),
    defaultOutputDir: join(dir, 'out'),
    platform: hostPlatform({ PATH: '' }, 'linux'),
    licensing: {
      machineId: 'm1-e2e-charges',
      // No flush timer: what the job end itself sends is what the server sees.
      background: false,
      env: {
        VMP_SERVER_URL: server.url,
        VMP_TRUST_SERVER_KEYS: 'dev',
        VMP_SECRET_STORE: 'key-file',
        VMP_KEY_DIR: join(dir, 'keys'),
      },
    },
  });
  expect((await call(core, 'license.activate', { licenseKey: user.licenseKey })).state).toBe('active');
  const media = join(dir, 'media');
  hooks = [
    await makeClip(media, 'hook-a', { color: 'red', duration: 0.4 }),
    await makeClip(media, 'hook-b', { color: 'blue', duration: 0.4 }),
  ];
  body = await makeClip(media, 'body', { duration: 0.4 });
  projectId = await project('Charges');
}, 240_000);

afterAll(async () => {
  await core?.close();
  await server?.stop();
  if (dir) await rm(dir, { recursive: true, force: true });
});

describe('charging a licensed job (core, real server, real FFmpeg)', () => {
  it('charges every output of a 2-output job inside its commit, none as offline usage', async () => {
    const job = await call(core, 'jobs.start', { projectId });
    const done = await until(async () => {
      const j = await call(core, 'jobs.get', { jobId: job.id });
      return ['completed', 'failed', 'cancelled'].includes(j.status) ? j : null;
    }, 'the job to finish');
    expect(done).toMatchObject({ status: 'completed', completed: 2 });
    // The job's end commits its hold (no flush timer runs here: offline usage would stay pending).
    await until(async () => (await call(core, 'credits.status', {})).held === 0, 'the hold settled', 60_000);
    expect((await call(core, 'credits.status', {})).pendingUsage).toBe(0);
    expect(await user.balance()).toBe(4);
    const reasons = (await transactions()).map((t) => `${t.reason} ${t.amount}`);
    expect(reasons.filter((r) => r.startsWith('offline-render'))).toEqual([]);
    expect(reasons).toContain('render -2');
  }, 240_000);

  it('shows the balance the server answered with after it refused a job for lack of credits', async () => {
    await until(async () => (await call(core, 'credits.status', {})).available === 4, 'app shows 4');
    // Spent elsewhere: the server has 1 left, the app still shows 4 until it asks.
    await admin(server.url, ['grant-credits', '--email', user.email, '--amount=-3', '--reason', 'e2e']);
    const refused = await dispatch(core, 'jobs.start', { projectId: await project('Too dear') });
    expect(refused).toMatchObject({ ok: false, error: { code: 'INSUFFICIENT_CREDITS' } });
    expect((await call(core, 'credits.status', {})).available).toBe(1);
  }, 120_000);
});
