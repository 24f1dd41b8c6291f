// Render farm across a Redis restart: a private redis-server (append-only file) killed and started again mid-run.
import { mkdir, mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { expectValidOutput } from '../src/engine/render/testing.ts';
import { makeClip } from './fixtures/media.ts';
import { freePort, PrivateRedis, publishedPaths, startVmp, stop, type VmpProcess } from './helpers/farm.ts';

let dir: string;
let redis: PrivateRedis;
const running: VmpProcess[] = [];

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'vmp-farm-redis-'));
  await mkdir(join(dir, 'redis'));
  redis = new PrivateRedis(await freePort(), join(dir, 'redis'));
  await redis.start();
  for (const color of ['red', 'green', 'blue']) {
    await makeClip(join(dir, 'share', 'clips'), color, { color, width: 160, height: 120, duration: 0.5 });
  }
});

afterAll(async () => {
  await Promise.all(running.map((p) => stop(p, 'SIGKILL')));
  await redis.kill();
  await rm(dir, { recursive: true, force: true });
});

it('resumes the run when Redis is killed and restarted mid-job', async () => {
  const share = join(dir, 'share');
  const env = {
    VMP_FARM_LOCK_MS: '2000',
    VMP_FARM_STALLED_MS: '1000',
    VMP_FARM_BACKOFF_MS: '200',
    VMP_FARM_BATCH: '2',
    VMP_CACHE_DIR: join(dir, 'local-cache'),
  };
  const args = ['worker', '--farm', redis.url, '--root', share, '--cache-dir', join(share, 'cache'), '-j', '1'];
  const workers = [startVmp(args, env), startVmp(args, env)];
  running.push(...workers);
  await Promise.all(workers.map((w) => w.waitFor(/waiting for render batches/)));
  const out = join(share, 'out');
  const mix = startVmp(
    ['mix', join(share, 'clips'), '--out', out, '--farm', redis.url, '--format', '1:1', '-k', '2', '--json'],
    env,
  );
  running.push(mix);
  await Promise.any(workers.map((w) => w.waitFor(/: job \S+ \(attempt 1\): rendering/)));
  await redis.kill('SIGKILL');
  await new Promise((r) => setTimeout(r, 1500));
  await redis.start();

  const { code } = await mix.exited;
  expect(code, `${mix.stderr}\n${workers.map((w) => w.stderr).join('\n')}`).toBe(0);
  const report = JSON.parse(mix.stdout) as { outputs: { path: string; duration: number; worker: string }[] };
  expect(report.outputs).toHaveLength(6);
  const names = (await readdir(out)).sort();
  expect(names.filter((n) => n.endsWith('.mp4'))).toHaveLength(6);
  expect(names.filter((n) => !n.endsWith('.mp4'))).toEqual(['manifest.csv', 'manifest.json']);
  for (const o of report.outputs) await expectValidOutput(o.path, { width: 1080, height: 1080, duration: o.duration });
  const published = publishedPaths(...workers.map((w) => w.stderr));
  expect(published.length - new Set(published).size, published.join('\n')).toBe(0);
  for (const w of workers) await stop(w);
  for (const w of workers) expect((await w.exited).code).toBe(0);
});
