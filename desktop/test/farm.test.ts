// Render farm end to end: real redis-server, `vmp worker` and `vmp mix --farm` as separate processes, real FFmpeg.
import { randomBytes } from 'node:crypto';
import { mkdir, mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectValidOutput } from '../src/engine/render/testing.ts';
import { makeClip } from './fixtures/media.ts';
import { dropPrefix, freePort, publishedPaths, startVmp, stop, testFarmEnv, type VmpProcess } from './helpers/farm.ts';

const REDIS = process.env.VMP_TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';
let dir: string;
let share: string;
const prefixes: string[] = [];
const running: VmpProcess[] = [];

/** A farm of its own per test (testFarmEnv), dropped after the file. */
function farmEnv(extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv {
  const prefix = `vmptest-${randomBytes(4).toString('hex')}`;
  prefixes.push(prefix);
  return { ...testFarmEnv(prefix), VMP_CACHE_DIR: join(dir, 'local-cache'), ...extra };
}

function vmp(args: string[], env: NodeJS.ProcessEnv): VmpProcess {
  const p = startVmp(args, env);
  running.push(p);
  return p;
}

interface Report {
  outputs: { path: string; sources: string[]; duration: number; worker?: string }[];
  failed?: { index: number; error: string }[];
}

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'vmp-farm-'));
  share = join(dir, 'share');
  for (const [name, color] of [
    ['red', 'red'],
    ['green', 'green'],
    ['blue', 'blue'],
  ] as const) {
    await makeClip(join(share, 'clips'), name, { color, width: 160, height: 120, duration: 0.5 });
  }
});

afterAll(async () => {
  await Promise.all(running.map((p) => stop(p, 'SIGKILL')));
  await Promise.all(prefixes.map((p) => dropPrefix(REDIS, p)));
  await rm(dir, { recursive: true, force: true });
});

const MIX = ['--format', '1:1', '--clips-per-output', '2', '--json'];

describe('vmp mix --farm with vmp workers', () => {
  it('survives a worker killed with SIGKILL mid-batch: every output made once, valid, and named by its worker', async () => {
    // unique: one FFmpeg per output, so the killed worker has published part of its batch and is encoding the rest.
    const env = farmEnv({ VMP_FARM_BATCH: '3' });
    const out = join(share, 'out-kill');
    const workerArgs = ['worker', '--farm', REDIS, '--root', share, '--cache-dir', join(share, 'cache'), '-j', '1'];
    const a = vmp(workerArgs, env);
    await a.waitFor(/waiting for render batches/);
    const mix = vmp(['mix', join(share, 'clips'), '--out', out, '--farm', REDIS, '--strategy', 'unique', ...MIX], env);
    await a.waitFor(/: job \S+ \(attempt 1\): rendering 3/);
    const b = vmp(workerArgs, env);
    await b.waitFor(/waiting for render batches/);
    await a.waitFor(/: published /);
    a.child.kill('SIGKILL');
    const { code } = await mix.exited;
    expect(code, mix.stderr).toBe(0);
    // Progress with an ETA across the farm (stderr is not a terminal here: one line per step).
    expect(mix.stderr).toMatch(/Rendering [0-5]\/6 \(\d+%, ETA \d+s\)/);
    const report = JSON.parse(mix.stdout) as Report;
    expect(report.outputs).toHaveLength(6);
    expect(new Set(report.outputs.map((o) => o.path)).size).toBe(6);
    const names = (await readdir(out)).sort();
    expect(names.filter((n) => n.endsWith('.mp4'))).toHaveLength(6);
    expect(names.filter((n) => !n.endsWith('.mp4'))).toEqual(['manifest.csv', 'manifest.json']);
    for (const o of report.outputs) {
      await expectValidOutput(o.path, { width: 1080, height: 1080, duration: o.duration });
    }
    // The killed worker's batch went to the other one, which kept what was already published: nothing made twice.
    const published = publishedPaths(a.stderr, b.stderr);
    expect(published.length - new Set(published).size, published.join('\n')).toBe(0);
    const byA = publishedPaths(a.stderr);
    expect(byA.length).toBeGreaterThanOrEqual(1);
    expect(b.stderr).toMatch(/: job \S+ \(attempt 1\): rendering \d output\(s\), \d already made/);
    const workerOf = new Map(report.outputs.map((o) => [o.path, o.worker]));
    for (const path of byA) expect(workerOf.get(path)).toMatch(new RegExp(`:${a.child.pid}$`));
    expect(report.outputs.filter((o) => o.worker?.endsWith(`:${b.child.pid}`)).length).toBe(6 - byA.length);
    await stop(b);
    expect((await b.exited).code).toBe(0);
  });

  it('SIGTERM hands the current batch back when it cannot finish in the grace time', async () => {
    const env = farmEnv({ VMP_FARM_BATCH: '3' });
    const out = join(share, 'out-term');
    const workerArgs = ['worker', '--farm', REDIS, '--root', share, '--cache-dir', join(share, 'cache'), '-j', '1'];
    const a = vmp([...workerArgs, '--grace', '0'], env);
    await a.waitFor(/waiting for render batches/);
    const mix = vmp(['mix', join(share, 'clips'), '--out', out, '--farm', REDIS, '--strategy', 'unique', ...MIX], env);
    await a.waitFor(/: job \S+ \(attempt 1\): rendering 3/);
    a.child.kill('SIGTERM');
    expect((await a.exited).code, a.stderr).toBe(0);
    expect(a.stderr).toMatch(/handing the current batches back to the queue/);
    // Handed back at once (no lock expiry to wait for), and not counted as a failed attempt.
    const b = vmp(workerArgs, env);
    const { code } = await mix.exited;
    expect(code, `${mix.stderr}\n${b.stderr}`).toBe(0);
    expect(b.stderr).toMatch(/-b0 \(attempt 1\): rendering/);
    expect(b.stderr).not.toMatch(/stalled/);
    const report = JSON.parse(mix.stdout) as Report;
    expect(report.outputs).toHaveLength(6);
    const published = publishedPaths(a.stderr, b.stderr);
    expect(published.length - new Set(published).size, published.join('\n')).toBe(0);
    expect((await readdir(out)).filter((n) => n.endsWith('.mp4'))).toHaveLength(6);
    await stop(b);
  });

  it('Ctrl-C on the submitter withdraws the batches no worker has started', async () => {
    const env = farmEnv({ VMP_FARM_BATCH: '2' });
    const mix = vmp(['mix', join(share, 'clips'), '--out', join(share, 'out-cancel'), '--farm', REDIS, ...MIX], env);
    await mix.waitFor(/Queued 3 batch\(es\)/);
    const client = new Redis(REDIS);
    try {
      const waiting = `${env.VMP_FARM_PREFIX}:render:wait`;
      expect(await client.llen(waiting)).toBe(3);
      mix.child.kill('SIGINT');
      expect((await mix.exited).code, mix.stderr).toBe(130);
      expect(mix.stderr).toMatch(/Withdrew 3 queued batch\(es\)/);
      expect(await client.llen(waiting)).toBe(0);
    } finally {
      client.disconnect();
    }
  });

  it('says so when the farm Redis cannot be reached, without the password', async () => {
    const port = await freePort();
    const url = `redis://:hunter2@127.0.0.1:${port}`;
    const mix = vmp(['mix', join(share, 'clips'), '--out', join(share, 'out-down'), '--farm', url, ...MIX], {
      ...farmEnv(),
      VMP_FARM_CONNECT_MS: '1000',
    });
    expect((await mix.exited).code).toBe(1);
    expect(mix.stderr).toContain(`Cannot reach the farm's Redis at redis://:***@127.0.0.1:${port}`);
    expect(mix.stderr).toMatch(/ECONNREFUSED/);
    expect(mix.stderr).not.toContain('hunter2');
  });

  it('fails the batch of a worker with the wrong path map, naming the missing path', async () => {
    const env = farmEnv({ VMP_FARM_ATTEMPTS: '2' });
    const wrong = join(dir, 'wrong-mount');
    await mkdir(wrong, { recursive: true });
    const w = vmp(['worker', '--farm', REDIS, '--path-map', `${share}=${wrong}`, '--cache-dir', join(dir, 'c2')], env);
    await w.waitFor(/waiting for render batches/);
    const out = join(share, 'out-wrong');
    const mix = vmp(['mix', join(share, 'clips'), '--out', out, '--farm', REDIS, ...MIX], env);
    const { code } = await mix.exited;
    expect(code, mix.stderr).toBe(1);
    const missing = join(wrong, 'clips', 'blue.mp4');
    const report = JSON.parse(mix.stdout) as Report;
    expect(report.outputs).toHaveLength(0);
    expect(report.failed).toHaveLength(6);
    for (const f of report.failed!) {
      expect(f.error).toContain(`Clip "${missing}" (submitted as "${join(share, 'clips', 'blue.mp4')}") is missing`);
      expect(f.error).toMatch(/--path-map/);
    }
    expect(mix.stderr).toContain(missing);
    // Nothing half-made in the output folder.
    expect((await readdir(out)).sort()).toEqual(['manifest.csv', 'manifest.json']);
  });

  it('refuses a job naming paths outside the worker roots', async () => {
    const env = farmEnv({ VMP_FARM_ATTEMPTS: '1' });
    const elsewhere = join(dir, 'elsewhere');
    await makeClip(join(elsewhere, 'clips'), 'a', { width: 160, height: 120, duration: 0.5 });
    await makeClip(join(elsewhere, 'clips'), 'b', { color: 'blue', width: 160, height: 120, duration: 0.5 });
    const w = vmp(['worker', '--farm', REDIS, '--root', share, '--cache-dir', join(dir, 'c3')], env);
    await w.waitFor(/waiting for render batches/);
    const mix = vmp(
      ['mix', join(elsewhere, 'clips'), '--out', join(share, 'out-refused'), '--farm', REDIS, ...MIX],
      env,
    );
    const { code } = await mix.exited;
    expect(code, mix.stderr).toBe(1);
    const report = JSON.parse(mix.stdout) as Report;
    expect(report.failed!.length).toBe(2);
    expect(report.failed![0]!.error).toMatch(
      new RegExp(`Refused clip "${join(elsewhere, 'clips')}/[ab]\\.mp4": it is outside this worker's shared roots`),
    );
  });
});
