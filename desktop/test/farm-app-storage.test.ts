// The app's Render farm with the Render farm storage setting, end to end without Electron: the core's queue renders
// through a real `vmp worker --storage` (no --root: it cannot reach the app's folders but through the bucket), a
// private redis-server and s3rver on loopback; the outputs come back into the project's output folder.
import { randomBytes } from 'node:crypto';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Core, createCore } from '../src/core/core.ts';
import { hostPlatform } from '../src/core/platform.ts';
import { expectValidOutput } from '../src/engine/render/testing.ts';
import { startTestS3, type TestS3 } from '../src/storage/s3rver.test-helper.ts';
import { makeClip } from './fixtures/media.ts';
import { call } from './helpers/core.ts';
import { freePort, PrivateRedis, startVmp, stop, testFarmEnv, type VmpProcess } from './helpers/farm.ts';

const farmEnv = testFarmEnv(`vmptest-app-s3-${randomBytes(4).toString('hex')}`);
const savedEnv = { ...process.env };
let root: string;
let core: Core;
let worker: VmpProcess;
let redis: PrivateRedis;
let s3: TestS3;

beforeAll(async () => {
  root = mkdtempSync(join(tmpdir(), 'vmp-farm-app-s3-'));
  mkdirSync(join(root, 'redis'));
  redis = new PrivateRedis(await freePort(), join(root, 'redis'));
  await redis.start();
  s3 = await startTestS3(['vmp-app']);
  // The core (the submitter) reads the farm tunables and the AWS variables from its environment, as the CLI does.
  Object.assign(process.env, farmEnv, s3.env);
  worker = startVmp(['worker', '--farm', redis.url, '--storage', 's3://vmp-app/farm', '-j', '1'], {
    ...farmEnv,
    ...s3.env,
    VMP_CACHE_DIR: join(root, 'worker-cache'),
  });
  core = createCore({
    dataDir: join(root, 'data'),
    defaultOutputDir: join(root, 'out'),
    platform: hostPlatform({ PATH: '' }, 'linux'),
    backoffBaseMs: 50,
  });
  await worker.waitFor(/waiting for render batches/);
}, 60_000);

afterAll(async () => {
  await core?.close();
  if (worker) await stop(worker);
  await redis?.kill();
  await s3?.close();
  process.env = savedEnv;
  rmSync(root, { recursive: true, force: true });
});

describe('app with the Render farm and Render farm storage settings', () => {
  it('renders the queue through a bucket-only vmp worker; the outputs land in the output folder', async () => {
    await call(core, 'app.updateSettings', { farmUrl: redis.url, farmStorageUrl: 's3://vmp-app/farm' });
    const media = join(root, 'clips');
    const project = await call(core, 'projects.create', { name: 'Bucketed' });
    const projectId = project.id;
    const [hook, body, cta] = (await call(core, 'projects.get', { projectId })).groups;
    const clip = (n: string, color: string) => makeClip(media, n, { color, width: 160, height: 120, duration: 0.5 });
    await call(core, 'clips.import', {
      projectId,
      groupId: hook!.id,
      paths: [await clip('a', 'red'), await clip('b', 'blue')],
    });
    await call(core, 'clips.import', { projectId, groupId: body!.id, paths: [await clip('body', 'green')] });
    await call(core, 'clips.import', { projectId, groupId: cta!.id, paths: [await clip('cta', 'white')] });
    await call(core, 'projects.update', { projectId, settings: { format: '1:1', fps: 15 } });
    const job = await call(core, 'jobs.start', { projectId });
    await core.queue.whenIdle();
    const { items } = await call(core, 'outputs.list', { jobId: job.id });
    expect(items).toHaveLength(2);
    for (const output of items) {
      expect(output, output.error ?? '').toMatchObject({ status: 'completed', error: null });
      expect(output.worker).toMatch(new RegExp(`^[^:]+:${worker.child.pid}$`));
      expect(output.path!.startsWith(join(root, 'out'))).toBe(true);
      await expectValidOutput(output.path!, { width: 1080, height: 1080, duration: output.duration!, fps: 15 });
    }
    // Through the bucket: 4 clips uploaded once, 2 outputs put under their runs.
    expect(s3.created.filter((k) => k.startsWith('vmp-app/farm/clips/'))).toHaveLength(4);
    expect(s3.created.filter((k) => k.startsWith('vmp-app/farm/runs/'))).toHaveLength(2);
    expect(worker.stderr).toMatch(/: published s3:\/\/vmp-app\/farm\/runs\//);
  }, 240_000);
});
