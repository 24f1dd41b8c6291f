// Parity: one small project — 2 groups × 2 clips, captions on one clip, a headline — rendered by the app's local
// queue (core API), by `vmp mix` and by a farm worker (`vmp mix --farm` + `vmp worker`, real Redis) gives outputs
// with the same names and the same decoded frames (framemd5 of the video stream), and so does a farm without a shared
// folder (`--storage s3://…` on both, through a real S3 protocol server). All render the same render specs
// (engine/render/spec.ts); a render option that misses one path shows up here.
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Core, createCore } from '../src/core/core.ts';
import { hostPlatform } from '../src/core/platform.ts';
import { runFfmpeg } from '../src/engine/ffmpeg/run.ts';
import { ocrAt } from '../src/engine/text/ocr.testing.ts';
import { startTestS3, type TestS3 } from '../src/storage/s3rver.test-helper.ts';
import { makeClip, makeTextFile } from './fixtures/media.ts';
import { call } from './helpers/core.ts';
import { dropPrefix, startVmp, stop, testFarmEnv, type VmpProcess } from './helpers/farm.ts';

const REDIS = process.env.VMP_TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';
const prefix = `vmptest-parity-${randomBytes(4).toString('hex')}`;
const running: VmpProcess[] = [];
let root: string;
let project: string;
let core: Core | undefined;
let s3: TestS3 | undefined;

/** Decoded frames (video, then audio), one md5 per frame (container metadata and creation times left out). */
async function frames(file: string): Promise<string[]> {
  const args = ['-i', file, '-map', '0:v:0', '-map', '0:a:0', '-f', 'framemd5', '-'];
  const { stdout } = await runFfmpeg(args, { captureStdout: true });
  return stdout
    .toString('utf8')
    .split('\n')
    .filter((line) => line && !line.startsWith('#'))
    .map((line) => line.split(',').pop()!.trim());
}

beforeAll(async () => {
  root = mkdtempSync(join(tmpdir(), 'vmp-parity-'));
  project = join(root, 'share', 'Parity');
  const clip = (group: string, name: string, color: string) =>
    makeClip(join(project, group), name, { color, width: 160, height: 120, duration: 0.5 });
  await clip('1-hook', 'hook1', '0x203050');
  await clip('1-hook', 'hook2', '0x305020');
  await clip('2-end', 'end1', '0x402020');
  await clip('2-end', 'end2', '0x404040');
  await makeTextFile(join(project, '1-hook'), 'hook1.srt', '1\n00:00:00,050 --> 00:00:00,450\nAPPLE BANANA\n');
  await makeTextFile(join(project, '1-hook'), 'headlines.txt', 'STOP SCROLLING\n');
  s3 = await startTestS3(['vmp-parity']);
});

afterAll(async () => {
  await core?.close();
  await Promise.all(running.map((p) => stop(p, 'SIGKILL')));
  await dropPrefix(REDIS, prefix);
  await s3?.close();
  rmSync(root, { recursive: true, force: true });
});

/** The app: the same project built through the core API, rendered by its local queue. */
async function renderInApp(): Promise<Map<string, string>> {
  core = createCore({
    dataDir: join(root, 'app-data'),
    defaultOutputDir: join(root, 'app-out'),
    platform: hostPlatform({ PATH: '' }, 'linux'),
  });
  const { id: projectId } = await call(core, 'projects.create', { name: 'Parity' });
  const groups = (await call(core, 'projects.get', { projectId })).groups;
  for (const extra of groups.slice(2)) await call(core, 'groups.delete', { groupId: extra.id });
  const [hook, end] = groups;
  // The same project: groups named as the CLI's folders, so component codes (and file names) match.
  await call(core, 'groups.rename', { groupId: hook!.id, name: '1-hook' });
  await call(core, 'groups.rename', { groupId: end!.id, name: '2-end' });
  const paths = (group: string, ...names: string[]) => names.map((n) => join(project, group, `${n}.mp4`));
  const hooks = await call(core, 'clips.import', {
    projectId,
    groupId: hook!.id,
    paths: paths('1-hook', 'hook1', 'hook2'),
  });
  await call(core, 'clips.import', { projectId, groupId: end!.id, paths: paths('2-end', 'end1', 'end2') });
  const hook1 = (await call(core, 'projects.get', { projectId })).clips.find((c) => basename(c.path) === 'hook1.mp4');
  expect(hook1, JSON.stringify(hooks)).toBeDefined();
  await call(core, 'clips.importCaptions', { clipId: hook1!.id, path: join(project, '1-hook', 'hook1.srt') });
  await call(core, 'groups.setHeadlines', { groupId: hook!.id, headlines: ['STOP SCROLLING'] });
  await call(core, 'projects.update', { projectId, settings: { format: '1:1', seed: 1 } });
  const job = await call(core, 'jobs.start', { projectId });
  await core.queue.whenIdle();
  const { items } = await call(core, 'outputs.list', { jobId: job.id });
  for (const o of items) expect(o, o.error ?? '').toMatchObject({ status: 'completed' });
  return new Map(items.map((o) => [basename(o.path!), o.path!]));
}

/** `vmp mix` (farm: through `vmp worker`), its report's outputs by file name. */
async function renderWithCli(out: string, farm: false | 'shared' | 'bucket'): Promise<Map<string, string>> {
  const env = {
    ...testFarmEnv(prefix),
    ...(farm === 'bucket' ? s3!.env : {}),
    VMP_CACHE_DIR: join(root, farm ? `${farm}-farm-cache` : 'cli-cache'),
  };
  // Bucket: the worker has no --root, its own caches; the bucket is its only way to the project.
  const where = farm === 'bucket' ? ['--storage', 's3://vmp-parity/farm'] : ['--root', join(root, 'share')];
  if (farm) {
    const worker = startVmp(['worker', '--farm', REDIS, ...where], {
      ...env,
      VMP_CACHE_DIR: join(root, `${farm}-worker-cache`),
    });
    running.push(worker);
    await worker.waitFor(/waiting for render batches/);
  }
  const args = ['mix', project, '--out', out, '--format', '1:1', '--seed', '1', '--json'];
  const mix = startVmp(farm ? [...args, '--farm', REDIS, ...(farm === 'bucket' ? where : [])] : args, env);
  running.push(mix);
  const { code } = await mix.exited;
  expect(code, mix.stderr).toBe(0);
  const report = JSON.parse(mix.stdout) as { outputs: { path: string; worker?: string }[] };
  if (farm) for (const o of report.outputs) expect(o.worker).toMatch(/:\d+$/);
  return new Map(report.outputs.map((o) => [basename(o.path), o.path]));
}

describe('parity: app queue, vmp mix, a farm worker and a farm worker through a bucket', () => {
  it('make the same files: same names, same decoded frames and samples, captions and headline drawn', async () => {
    const started = Date.now();
    const took = (what: string) => console.log(`parity: ${what} after ${((Date.now() - started) / 1000).toFixed(1)} s`);
    const app = await renderInApp();
    took('app queue');
    const cli = await renderWithCli(join(root, 'share', 'cli-out'), false);
    took('vmp mix');
    const farm = await renderWithCli(join(root, 'share', 'farm-out'), 'shared');
    took('farm');
    const bucket = await renderWithCli(join(root, 'bucket-out'), 'bucket');
    took('farm through a bucket');
    expect(app.size).toBe(4);
    expect([...cli.keys()].sort()).toEqual([...app.keys()].sort());
    expect([...farm.keys()].sort()).toEqual([...app.keys()].sort());
    expect([...bucket.keys()].sort()).toEqual([...app.keys()].sort());
    for (const [name, path] of app) {
      const expected = await frames(path);
      expect(expected.length).toBeGreaterThan(20);
      expect(await frames(cli.get(name)!), `vmp mix: ${name}`).toEqual(expected);
      expect(await frames(farm.get(name)!), `farm: ${name}`).toEqual(expected);
      expect(await frames(bucket.get(name)!), `farm through a bucket: ${name}`).toEqual(expected);
    }
    // And the text is really there (the frames being equal, one reading covers all three).
    const withCaption = [...app.keys()].find((n) => n.includes('_H1-'))!; // hook1.mp4 is H1
    const text = await ocrAt(app.get(withCaption)!, 0.25);
    expect(text).toContain('APPLE BANANA');
    expect(text).toContain('STOP SCROLLING');
  }, 400_000);
});
