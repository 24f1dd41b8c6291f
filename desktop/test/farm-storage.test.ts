// A render farm without a shared folder: `vmp mix --farm URL --storage s3://…` and `vmp worker --storage s3://…` as
// real processes, a real redis-server and a real S3 protocol server (s3rver) on loopback, real FFmpeg.
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdir, mkdtemp, readdir, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectValidOutput } from '../src/engine/render/testing.ts';
import { startTestS3, type TestS3 } from '../src/storage/s3rver.test-helper.ts';
import { makeClip } from './fixtures/media.ts';
import { freePort, PrivateRedis, startVmp, stop, testFarmEnv, type VmpProcess, watchProcess } from './helpers/farm.ts';

const BIN = fileURLToPath(new URL('../bin/vmp.mjs', import.meta.url));
const BUCKET = 'vmp-farm';
let dir: string;
let clips: string;
let redis: PrivateRedis;
let s3: TestS3;
const running: VmpProcess[] = [];
/** Process groups of the isolated workers (unshare → sh → node). */
const groups: number[] = [];

interface Report {
  outputs: { path: string; duration: number; worker?: string; remote?: string }[];
  failed?: { index: number; error: string }[];
}

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'vmp-farm-s3-'));
  clips = join(dir, 'submitter', 'clips');
  for (const [name, color] of [
    ['red', 'red'],
    ['green', 'green'],
    ['blue', 'blue'],
  ] as const) {
    await makeClip(clips, name, { color, width: 160, height: 120, duration: 0.5 });
  }
  await mkdir(join(dir, 'redis'));
  redis = new PrivateRedis(await freePort(), join(dir, 'redis'));
  await redis.start();
  s3 = await startTestS3([BUCKET]);
}, 60_000);

afterAll(async () => {
  for (const pgid of groups) {
    try {
      process.kill(-pgid, 'SIGKILL');
    } catch {
      // gone already
    }
  }
  await Promise.all(running.map((p) => stop(p, 'SIGKILL')));
  await redis?.kill();
  await s3?.close();
  await rm(dir, { recursive: true, force: true });
});

/** A farm and a bucket prefix of its own per test. */
function farm(): { env: NodeJS.ProcessEnv; storage: string; prefix: string } {
  const id = randomBytes(4).toString('hex');
  return {
    env: { ...testFarmEnv(`vmptest-${id}`), ...s3.env, VMP_CACHE_DIR: join(dir, `submitter-cache-${id}`) },
    storage: `s3://${BUCKET}/agency-${id}`,
    prefix: `${BUCKET}/agency-${id}/`,
  };
}

function vmp(args: string[], env: NodeJS.ProcessEnv): VmpProcess {
  const p = startVmp(args, env);
  running.push(p);
  return p;
}

const MIX = ['--format', '1:1', '--clips-per-output', '2', '--json'];
const created = (prefix: string, under: string) => s3.created.filter((k) => k.startsWith(`${prefix}${under}`));

async function mp4s(folder: string): Promise<string[]> {
  return (await readdir(folder)).filter((n) => n.endsWith('.mp4')).sort();
}

describe('vmp mix --farm --storage with vmp worker --storage (no shared folder)', () => {
  it("renders through the bucket with a worker that cannot see the submitter's folders; a second run uploads no clip", async () => {
    const { env, storage, prefix } = farm();
    const out = join(dir, 'submitter', 'out-a');
    await mkdir(out, { recursive: true });
    // The worker in its own mount namespace: empty tmpfs over the submitter's clip and output folders. After it
    // stops, the shell says what those folders hold there (nothing, if the worker never wrote to them).
    const script = [
      'mount -t tmpfs tmpfs "$1" && mount -t tmpfs tmpfs "$2" || exit 9',
      'shift 2',
      '"$@" &',
      'pid=$!',
      "trap 'kill -TERM $pid' TERM",
      'wait $pid; wait $pid',
      'echo "worker saw: clips=[$(ls -A "$CLIPS")] out=[$(ls -A "$OUT")]" >&2',
    ].join('\n');
    const workerCache = join(dir, 'worker-a-cache');
    const isolated = spawnIsolated(
      script,
      [clips, out],
      [
        process.execPath,
        BIN,
        'worker',
        '--farm',
        redis.url,
        '--storage',
        storage,
        '--cache-dir',
        workerCache,
        '-j',
        '1',
      ],
      { ...env, CLIPS: clips, OUT: out },
    );
    await isolated.waitFor(/waiting for render batches/);
    expect(isolated.stderr).toContain(`storage ${storage}`);

    const mix = vmp(
      ['mix', clips, '--out', out, '--farm', redis.url, '--storage', storage, '--count', '3', ...MIX],
      env,
    );
    const { code } = await mix.exited;
    expect(code, `${mix.stderr}\n${isolated.stderr}`).toBe(0);
    const report = JSON.parse(mix.stdout) as Report;
    expect(report.outputs).toHaveLength(3);
    // Every video is in --out (downloaded there), complete, and also in the bucket under the run.
    expect(await mp4s(out)).toHaveLength(3);
    expect((await readdir(out)).filter((n) => n.endsWith('.part'))).toEqual([]);
    for (const o of report.outputs) {
      await expectValidOutput(o.path, { width: 1080, height: 1080, duration: o.duration });
      expect(o.remote).toMatch(new RegExp(`^${storage}/runs/[A-Za-z0-9]+/outputs/[^/]+\\.mp4$`));
      expect(o.worker).toMatch(/:\d+$/);
    }
    // Clips: one PUT each (3), by content hash.
    expect(created(prefix, 'clips/')).toHaveLength(3);
    expect(mix.stderr).toContain(`Clips in ${storage}: uploaded 3`);
    expect(created(prefix, 'runs/')).toHaveLength(3);
    // The worker downloaded the clips from the bucket into its own cache, and never saw the submitter's files.
    expect((await readdir(join(workerCache, 'farm-clips'))).filter((n) => /^[0-9a-f]{64}\.mp4$/.test(n))).toHaveLength(
      3,
    );
    isolated.child.kill('SIGTERM');
    expect((await isolated.exited).code, isolated.stderr).toBe(0);
    expect(isolated.stderr).toContain('worker saw: clips=[] out=[]');
    // No credentials in anything printed.
    expect(`${mix.stderr}${isolated.stderr}`).not.toContain(String(s3.env.AWS_SECRET_ACCESS_KEY));

    // (b) The same clips again, on a new worker with an empty cache: no clip uploaded, and the clips normalised by
    // the first worker come from the bucket's cache instead of FFmpeg.
    const putsBefore = created(prefix, 'clips/').length;
    const b = vmp(
      ['worker', '--farm', redis.url, '--storage', storage, '--cache-dir', join(dir, 'worker-b-cache'), '-j', '1'],
      env,
    );
    await b.waitFor(/waiting for render batches/);
    const out2 = join(dir, 'submitter', 'out-b');
    const again = vmp(
      ['mix', clips, '--out', out2, '--farm', redis.url, '--storage', storage, '--count', '3', '--seed', '2', ...MIX],
      env,
    );
    expect((await again.exited).code, `${again.stderr}\n${b.stderr}`).toBe(0);
    expect(created(prefix, 'clips/').length - putsBefore).toBe(0);
    expect(again.stderr).toContain(`Clips in ${storage}: uploaded 0 (0.0 MB), 3 already there.`);
    expect(await mp4s(out2)).toHaveLength(3);
    expect(b.stderr).toMatch(/normalised clip \S+ from s3:\/\/vmp-farm\//);
    await stop(b);
  }, 300_000);

  it('--keep-remote leaves the videos in the bucket and prints their s3:// URLs', async () => {
    const { env, storage, prefix } = farm();
    const w = vmp(
      ['worker', '--farm', redis.url, '--storage', storage, '--cache-dir', join(dir, 'worker-k-cache'), '-j', '1'],
      env,
    );
    await w.waitFor(/waiting for render batches/);
    const out = join(dir, 'submitter', 'out-keep');
    const mix = vmp(
      ['mix', clips, '--out', out, '--farm', redis.url, '--storage', storage, '--keep-remote', '--count', '2', ...MIX],
      env,
    );
    expect((await mix.exited).code, `${mix.stderr}\n${w.stderr}`).toBe(0);
    const report = JSON.parse(mix.stdout) as Report;
    expect(report.outputs).toHaveLength(2);
    expect(await mp4s(out)).toEqual([]);
    for (const o of report.outputs) expect(mix.stderr).toContain(`Kept in the bucket: ${o.remote}`);
    expect(created(prefix, 'runs/')).toHaveLength(2);
    await stop(w);
  }, 300_000);

  it('a worker killed mid-run: another finishes, every output made and downloaded exactly once', async () => {
    const { env, storage, prefix } = farm();
    const run = { ...env, VMP_FARM_BATCH: '3' };
    const out = join(dir, 'submitter', 'out-kill');
    const args = (name: string) => [
      'worker',
      '--farm',
      redis.url,
      '--storage',
      storage,
      '--cache-dir',
      join(dir, `worker-${name}-cache`),
      '-j',
      '1',
    ];
    const a = vmp(args('k1'), run);
    await a.waitFor(/waiting for render batches/);
    const mix = vmp(
      ['mix', clips, '--out', out, '--farm', redis.url, '--storage', storage, '--strategy', 'unique', ...MIX],
      run,
    );
    await a.waitFor(/: job \S+ \(attempt 1\): rendering 3/);
    const b = vmp(args('k2'), run);
    await b.waitFor(/waiting for render batches/);
    await a.waitFor(/: published s3:\/\//);
    a.child.kill('SIGKILL');
    const { code } = await mix.exited;
    expect(code, `${mix.stderr}\n${b.stderr}`).toBe(0);
    const report = JSON.parse(mix.stdout) as Report;
    expect(report.outputs).toHaveLength(6);
    expect(await mp4s(out)).toHaveLength(6);
    for (const o of report.outputs) {
      expect((await stat(o.path)).size).toBeGreaterThan(0);
      await expectValidOutput(o.path, { width: 1080, height: 1080, duration: o.duration });
    }
    // Each output uploaded once (no key created twice), none missing; the second worker kept what the first made.
    const outputs = created(prefix, 'runs/');
    expect(outputs).toHaveLength(6);
    expect(new Set(outputs).size).toBe(6);
    expect(b.stderr).toMatch(/: job \S+ \(attempt 1\): rendering \d output\(s\), \d already made/);
    await stop(b);
  }, 300_000);
});

/** `unshare -m sh -c script` with stderr watched like startVmp's (the worker's log goes through it). */
function spawnIsolated(script: string, mounts: string[], command: string[], env: NodeJS.ProcessEnv): VmpProcess {
  // As root, a mount namespace of its own; otherwise inside a user namespace where this user may mount.
  const flags = process.getuid?.() === 0 ? ['-m'] : ['-m', '--map-root-user'];
  const child = spawn('unshare', [...flags, 'sh', '-c', script, 'isolated', ...mounts, ...command], {
    env: { ...process.env, FORCE_COLOR: '0', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
    // Its own process group: the worker under the shell goes too when the test kills the group.
    detached: true,
  });
  const p = watchProcess(child);
  groups.push(child.pid!);
  running.push(p);
  return p;
}
