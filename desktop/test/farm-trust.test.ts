// #18 items 1-5 against a real `vmp worker` process and the real Redis: hostile jobs written straight to the queue
// (as anyone with the farm's Redis can) are refused with a clear reason and touch nothing outside the roots; an
// unlicensed job renders with the watermark whatever it says; a licensed one as it says.
import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { mkdir, mkdtemp, readdir, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { RenderSettings } from '@vmp/shared';
import { Queue } from 'bullmq';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { contentKey } from '../src/engine/hash/content-key.ts';
import { probeFile } from '../src/engine/probe/probe.ts';
import { farmConnection } from '../src/farm/connection.ts';
import type { FarmBatch } from '../src/farm/payload.ts';
import { type FarmJobSigner, sealJob } from '../src/farm/trust/envelope.ts';
import { farmJobSigner } from '../src/farm/trust/signer.ts';
import { testLicensingServer } from '../src/farm/trust/testing.ts';
import { makeClip } from './fixtures/media.ts';
import { dropPrefix, startVmp, stop, testFarmEnv, type VmpProcess } from './helpers/farm.ts';

const exec = promisify(execFile);
const REDIS = process.env.VMP_TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';
const prefix = `vmptest-trust-${randomBytes(4).toString('hex')}`;
const env = testFarmEnv(prefix);
const server = testLicensingServer('farm-test-1');
const SECRET = 'farm-trust-machine-secret';

let dir: string;
let share: string;
let worker: VmpProcess;
let queue: Queue;
type Clip = Omit<FarmBatch['specs'][number]['sources'][number], 'id'>;
let clipA: Clip;
let clipB: Clip;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'vmp-farm-trust-'));
  share = join(dir, 'share');
  const a = await makeClip(join(share, 'clips'), 'a', { color: 'black', width: 160, height: 120, duration: 0.5 });
  const b = await makeClip(join(share, 'clips'), 'b', { color: 'gray', width: 160, height: 120, duration: 0.5 });
  clipA = { path: a, hash: await contentKey(a), info: await probeFile(a) };
  clipB = { path: b, hash: await contentKey(b), info: await probeFile(b) };
  await writeFile(join(dir, 'jwks.json'), JSON.stringify(server.jwks));
  // The URL (with a user name, as a password would be) only in a file: never on the command line.
  await writeFile(join(dir, 'farm-url'), `${REDIS}\n`);
  worker = startVmp(
    [
      'worker',
      '--farm-url-file',
      join(dir, 'farm-url'),
      '--root',
      share,
      '--cache-dir',
      join(share, 'cache'),
      '--trust-keys',
      join(dir, 'jwks.json'),
      '-j',
      '1',
    ],
    { ...env, VMP_CACHE_DIR: join(dir, 'worker-cache') },
  );
  await worker.waitFor(/waiting for render batches/);
  queue = new Queue(env.VMP_FARM_QUEUE!, { connection: farmConnection(REDIS), prefix });
}, 120_000);

afterAll(async () => {
  await queue?.close();
  if (worker) await stop(worker, 'SIGKILL');
  await dropPrefix(REDIS, prefix);
  await rm(dir, { recursive: true, force: true });
});

function batch(out: string, source: Clip = clipA, watermark: string | null = null): FarmBatch {
  const createdAt = new Date().toISOString();
  return {
    version: 2,
    runId: `r${randomBytes(5).toString('hex')}`,
    outDir: out,
    createdAt,
    specs: [
      {
        projectName: 'Trust',
        combination: { index: 0, clipIds: ['a'] },
        sources: [{ id: 'a', ...source }],
        settings: RenderSettings.parse({ format: '1:1', fps: 15, loudness: 'normalize', watermark }),
        outDir: out,
        fileName: 'out-1.mp4',
        createdAt,
      },
    ],
    submitter: 'test:1',
  };
}

/** Puts `data` on the farm's queue as any Redis client can, and waits for the worker to finish or refuse it. */
async function submit(data: unknown): Promise<{ state: string; reason: string }> {
  const id = `t${randomBytes(6).toString('hex')}`;
  await queue.add('render-batch', data, { jobId: id, attempts: 2, backoff: { type: 'fixed', delay: 200 } });
  const deadline = Date.now() + 150_000;
  for (;;) {
    const job = await queue.getJob(id);
    const state = (await job?.getState()) ?? 'missing';
    if (state === 'completed' || state === 'failed') return { state, reason: job?.failedReason ?? '' };
    if (Date.now() > deadline) throw new Error(`job ${id} still ${state}:\n${worker.stderr}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

async function licensed(): Promise<FarmJobSigner> {
  return farmJobSigner({ lease: await server.lease(SECRET), machineSecret: SECRET });
}

/** Brightest luma of the first frame: a black clip stays near 16 unless a watermark is drawn on it. */
async function brightest(path: string): Promise<number> {
  const { stderr } = await exec('ffmpeg', [
    '-hide_banner',
    '-i',
    path,
    '-frames:v',
    '1',
    '-vf',
    'signalstats,metadata=mode=print:key=lavfi.signalstats.YMAX',
    '-f',
    'null',
    '-',
  ]);
  return Number(/lavfi\.signalstats\.YMAX=(\d+)/.exec(stderr)?.[1]);
}

describe('a farm worker treats every job as hostile input', () => {
  it('refuses an unsigned job, so the reported colour-space injection never runs (item 1, 4)', async () => {
    const victim = join(dir, 'victim.txt');
    await writeFile(victim, 'keep me');
    const attack = batch(join(share, 'out-inject'));
    attack.specs[0]!.sources[0]!.info = {
      ...clipA.info,
      video: {
        ...clipA.info.video!,
        colorTransfer: 'arib-std-b67',
        colorSpace: `709,signalstats,metadata=mode=print:file=${victim},zscale=min=709`,
      },
    };
    await mkdir(attack.outDir, { recursive: true });
    const unsigned = await submit(attack);
    expect(unsigned).toMatchObject({ state: 'failed', reason: expect.stringMatching(/it is not signed/) });
    // Signed by a machine of its own, the same job is refused by the schema, naming the field.
    const signed = await submit(await sealJob(attack, farmJobSigner(null)));
    expect(signed.reason).toMatch(/specs\.0\.sources\.0\.info\.video\.colorSpace/);
    expect(readFileSync(victim, 'utf8')).toBe('keep me');
    expect(await readdir(attack.outDir)).toEqual([]);
  }, 200_000);

  it('refuses a traversal in the hash before it names a cache file (item 2)', async () => {
    const job = batch(join(share, 'out-hash'), { ...clipA, hash: '../../../victim2' });
    await mkdir(job.outDir, { recursive: true });
    const { reason } = await submit(await sealJob(job, await licensed()));
    expect(reason).toMatch(/specs\.0\.sources\.0\.hash.*64 hex/);
    expect(existsSync(join(share, 'victim2.json'))).toBe(false);
    expect(existsSync(join(dir, 'victim2.json'))).toBe(false);
  }, 200_000);

  it("refuses a job naming clip A's hash with clip B's file: nothing is cached under A (item 3)", async () => {
    const job = batch(join(share, 'out-poison'), { ...clipB, hash: clipA.hash });
    await mkdir(job.outDir, { recursive: true });
    const { state, reason } = await submit(await sealJob(job, await licensed()));
    expect(state).toBe('failed');
    expect(reason).toMatch(/clip ".*b\.mp4" is not the clip the job names/);
    const cached = await readdir(join(share, 'cache')).catch(() => [] as string[]);
    expect(cached.filter((f) => f.includes(clipA.hash))).toEqual([]);
    expect(await readdir(job.outDir)).toEqual([]);
  }, 200_000);

  it('refuses a .vmp-farm staging folder that is a symbolic link out of the roots (item 5)', async () => {
    const outside = join(dir, 'outside');
    await mkdir(outside);
    const job = batch(join(share, 'out-link'));
    await mkdir(job.outDir, { recursive: true });
    await symlink(outside, join(job.outDir, '.vmp-farm'));
    const { reason } = await submit(await sealJob(job, await licensed()));
    expect(reason).toMatch(/staging folder .*symbolic link/);
    expect(await readdir(outside)).toEqual([]);
  }, 200_000);

  it('keeps the farm URL out of the process list (item 5)', () => {
    const cmdline = readFileSync(`/proc/${worker.child.pid}/cmdline`, 'utf8');
    expect(cmdline).toContain('--farm-url-file');
    expect(cmdline).not.toContain(REDIS);
  });

  it('renders a licensed job as signed; an unlicensed one with the watermark, whatever it says (item 4)', async () => {
    const free = batch(join(share, 'out-free'));
    const paid = batch(join(share, 'out-paid'));
    await mkdir(free.outDir, { recursive: true });
    await mkdir(paid.outDir, { recursive: true });
    expect(await submit(await sealJob(free, farmJobSigner(null)))).toMatchObject({ state: 'completed' });
    expect(await submit(await sealJob(paid, await licensed()))).toMatchObject({ state: 'completed' });
    expect(worker.stderr).toMatch(
      /unlicensed \(the submitting machine is not licensed\): its outputs carry the watermark/,
    );
    expect(worker.stderr).toMatch(/signed by licensed machine machine-1 \(licence licence-1\)/);
    // Both jobs say watermark: null; only the licensed one is drawn without it.
    expect(await brightest(join(paid.outDir, 'out-1.mp4'))).toBeLessThan(40);
    expect(await brightest(join(free.outDir, 'out-1.mp4'))).toBeGreaterThan(150);
  }, 300_000);

  it('refuses a signed job whose watermark was taken out afterwards (item 4)', async () => {
    const job = batch(join(share, 'out-altered'), clipA, 'Video Mixer Pro — unlicensed');
    const sealed = await sealJob(job, await licensed());
    const [header, , signature] = sealed.jws.split('.');
    const stripped = { ...job, specs: job.specs.map((s) => ({ ...s, settings: { ...s.settings, watermark: null } })) };
    const jws = `${header}.${Buffer.from(JSON.stringify(stripped)).toString('base64url')}.${signature}`;
    const { reason } = await submit({ ...sealed, jws });
    expect(reason).toMatch(
      /signature does not match its content and lease.*changed after the submitting app signed it/,
    );
  }, 200_000);
});
