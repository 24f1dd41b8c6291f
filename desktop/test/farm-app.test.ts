// The app's "Render farm" setting end to end, without Electron: the core's queue renders through a real
// `vmp worker` child process on the shared Redis, with real FFmpeg; unset, it renders on this computer again.
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ApiEvent, Project } from '@vmp/shared/api';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Core, createCore } from '../src/core/core.ts';
import { hostPlatform } from '../src/core/platform.ts';
import { expectValidOutput } from '../src/engine/render/testing.ts';
import { makeClip } from './fixtures/media.ts';
import { call, callFails } from './helpers/core.ts';
import { dropPrefix, freePort, startVmp, stop, testFarmEnv, type VmpProcess } from './helpers/farm.ts';

const REDIS = process.env.VMP_TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';
const prefix = `vmptest-app-${randomBytes(4).toString('hex')}`;
// The submitter (this process, through the core) and the worker must agree on the prefix and queue.
const farmEnv = testFarmEnv(prefix);
Object.assign(process.env, farmEnv);

let root: string;
let core: Core;
let worker: VmpProcess;
const events: ApiEvent[] = [];

beforeAll(async () => {
  root = mkdtempSync(join(tmpdir(), 'vmp-farm-app-'));
  worker = startVmp(['worker', '--farm', REDIS, '--root', root, '--cache-dir', join(root, 'farm-cache'), '-j', '1'], {
    ...farmEnv,
    VMP_CACHE_DIR: join(root, 'worker-cache'),
  });
  core = createCore({
    dataDir: join(root, 'data'),
    defaultOutputDir: join(root, 'share', 'out'),
    platform: hostPlatform({ PATH: '' }, 'linux'),
    backoffBaseMs: 50,
  });
  core.subscribe((e) => events.push(e));
  await worker.waitFor(/waiting for render batches/);
});

afterAll(async () => {
  await core?.close();
  if (worker) await stop(worker);
  await dropPrefix(REDIS, prefix);
  rmSync(root, { recursive: true, force: true });
});

/** Hook (2 clips) × Body × Call to action: 2 outputs, small and short. */
async function project(name: string): Promise<Project> {
  const media = join(root, 'share', 'clips', name);
  const project = await call(core, 'projects.create', { name });
  const [hook, body, cta] = (await call(core, 'projects.get', { projectId: project.id })).groups;
  const clip = (n: string, color: string) => makeClip(media, n, { color, width: 160, height: 120, duration: 0.5 });
  const projectId = project.id;
  await call(core, 'clips.import', {
    projectId,
    groupId: hook!.id,
    paths: [await clip('a', 'red'), await clip('b', 'blue')],
  });
  await call(core, 'clips.import', { projectId, groupId: body!.id, paths: [await clip('body', 'green')] });
  await call(core, 'clips.import', { projectId, groupId: cta!.id, paths: [await clip('cta', 'white')] });
  await call(core, 'projects.update', { projectId, settings: { format: '1:1', fps: 15 } });
  return project;
}

describe('app with the Render farm setting', () => {
  it('renders the queue through a vmp worker: valid outputs, each naming its worker', async () => {
    const settings = await call(core, 'app.updateSettings', { farmUrl: REDIS });
    expect(settings.farmUrl).toMatch(/^redis:\/\/127\.0\.0\.1:6379/);
    const p = await project('Farmed');
    const job = await call(core, 'jobs.start', { projectId: p.id });
    await core.queue.whenIdle();
    const { items } = await call(core, 'outputs.list', { jobId: job.id });
    expect(items).toHaveLength(2);
    for (const output of items) {
      expect(output, output.error ?? '').toMatchObject({ status: 'completed', error: null });
      expect(output.worker).toMatch(new RegExp(`^[^:]+:${worker.child.pid}$`));
      await expectValidOutput(output.path!, { width: 1080, height: 1080, duration: output.duration!, fps: 15 });
    }
    expect(worker.stderr).toMatch(/: published /);
    // The queue's events carry the worker too (the UI's queue view reads them).
    const done = events.filter(
      (e): e is Extract<ApiEvent, { type: 'output.updated' }> =>
        e.type === 'output.updated' && e.output.jobId === job.id && e.output.status === 'completed',
    );
    expect(done.map((e) => e.output.worker)).toEqual(items.map((o) => o.worker));
    // ... and name it while the output renders ("Rendering on host:pid"), not only once it is done.
    for (const output of items) {
      const rendering = events.filter(
        (e): e is Extract<ApiEvent, { type: 'output.updated' }> =>
          e.type === 'output.updated' && e.output.id === output.id && e.output.status === 'processing',
      );
      expect(
        rendering.find((e) => e.output.worker !== null)?.output,
        'a processing event naming the worker',
      ).toMatchObject({
        worker: output.worker,
        progress: expect.any(Number),
      });
      expect(rendering.some((e) => e.output.worker === output.worker && e.output.progress < 1)).toBe(true);
    }
    expect(await call(core, 'jobs.get', { jobId: job.id })).toMatchObject({ status: 'completed', completed: 2 });
  });

  it('fails clearly when Redis is unreachable (password hidden), loses nothing, and renders locally once unset', async () => {
    const port = await freePort();
    await call(core, 'app.updateSettings', { farmUrl: `redis://:hunter2@127.0.0.1:${port}` });
    const shown = await call(core, 'app.getSettings', {});
    expect(shown.farmUrl).toBe(`redis://:***@127.0.0.1:${port}`);
    // Saving the redacted URL back (as the settings form does) keeps the stored password.
    await call(core, 'app.updateSettings', { farmUrl: shown.farmUrl, concurrency: 2 });
    const invalid = await callFails(core, 'app.updateSettings', { farmUrl: 'http://:hunter2@farm:6379' });
    expect(invalid).toMatchObject({ code: 'VALIDATION_ERROR' });
    expect(invalid.message).toMatch(/Render farm address must start with redis:\/\/ or rediss:\/\//);
    expect(invalid.message).not.toContain('hunter2');
    expect((await call(core, 'app.getSettings', {})).farmUrl).toBe(`redis://:***@127.0.0.1:${port}`);

    const p = await project('Farm down');
    const job = await call(core, 'jobs.start', { projectId: p.id });
    await core.queue.whenIdle();
    const failed = await call(core, 'outputs.list', { jobId: job.id });
    for (const output of failed.items) {
      expect(output.status).toBe('failed');
      expect(output.error).toContain(`Cannot reach the render farm's Redis at redis://:***@127.0.0.1:${port}`);
      expect(output.error).toMatch(/ECONNREFUSED/);
      expect(output.error).toMatch(/Render farm setting/);
    }
    expect(JSON.stringify(events)).not.toContain('hunter2');

    // Back to this computer: no restart, the failed outputs are retried and made here.
    expect(await call(core, 'app.updateSettings', { farmUrl: null })).toMatchObject({ farmUrl: null });
    await call(core, 'jobs.retryFailed', { jobId: job.id });
    await core.queue.whenIdle();
    const { items } = await call(core, 'outputs.list', { jobId: job.id });
    for (const output of items) {
      expect(output, output.error ?? '').toMatchObject({ status: 'completed', worker: null });
      await expectValidOutput(output.path!, { width: 1080, height: 1080, duration: output.duration!, fps: 15 });
    }
  });
});
