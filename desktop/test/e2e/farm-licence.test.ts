// #18 item 4 end to end: the real licensing server signs the lease (with the machine's farm key in it), `vmp mix
// --farm` signs its jobs with that key, and a real `vmp worker` that trusts the server's keys renders them without
// the watermark; the same worker puts the watermark on an unlicensed machine's job. Black clips: a drawn
// watermark is the only bright thing in a frame.
import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { readdir, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeClip } from '../fixtures/media.ts';
import { runVmp } from '../helpers/cli.ts';
import { dropPrefix, startVmp, stop, testFarmEnv, type VmpProcess } from '../helpers/farm.ts';
import { tempDir } from './helpers.ts';
import { customer, freePort, type ServerProcess, startServerProcess } from './server-process.ts';

const exec = promisify(execFile);
const REDIS = process.env.VMP_TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';
const prefix = `vmptest-licence-${randomBytes(4).toString('hex')}`;
const farmEnv = testFarmEnv(prefix);
let dir: string;
let server: ServerProcess;
let worker: VmpProcess;

function vmp(args: string[], machine: string) {
  return runVmp(args, {
    ...farmEnv,
    VMP_DATA_DIR: join(dir, machine, 'data'),
    VMP_CACHE_DIR: join(dir, machine, 'cache'),
    VMP_SERVER_URL: server.url,
    VMP_MACHINE_ID: `${machine}-e2e-farm-machine`,
    VMP_SECRET_STORE: 'key-file',
    VMP_KEY_DIR: join(dir, machine, 'keys'),
    // The test server's keys, as a self-hosted server's operator gives them (not the built-in production set).
    VMP_TRUST_SERVER_KEYS: join(dir, 'jwks.json'),
  });
}

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

beforeAll(async () => {
  dir = await tempDir('farm-licence');
  server = await startServerProcess({ dataDir: join(dir, 'server'), port: await freePort() });
  for (const name of ['a', 'b']) {
    await makeClip(join(dir, 'share', 'clips'), name, { color: 'black', width: 160, height: 120, duration: 0.4 });
  }
  const jwks = await (await fetch(`${server.url}/.well-known/jwks.json`)).text();
  await writeFile(join(dir, 'jwks.json'), jwks);
  worker = startVmp(
    ['worker', '--farm', REDIS, '--root', join(dir, 'share'), '--trust-keys', join(dir, 'jwks.json'), '-j', '1'],
    { ...farmEnv, VMP_CACHE_DIR: join(dir, 'worker-cache') },
  );
  await worker.waitFor(/waiting for render batches/);
}, 180_000);

afterAll(async () => {
  if (worker) await stop(worker, 'SIGKILL');
  await server?.stop();
  await dropPrefix(REDIS, prefix);
  if (dir) await rm(dir, { recursive: true, force: true });
});

describe('farm jobs carry the licence', () => {
  it('a licensed machine renders on the farm without the watermark; an unlicensed one with it', async () => {
    const user = await customer(server.url, { credits: 5 });
    const activated = await vmp(['license', 'activate', user.licenseKey, '--json'], 'paid');
    expect(activated.code, activated.stderr).toBe(0);
    const mix = (machine: string) =>
      vmp(
        [
          'mix',
          join(dir, 'share', 'clips'),
          '--out',
          join(dir, 'share', `out-${machine}`),
          '--farm',
          REDIS,
          '--format',
          '1:1',
          '--count',
          '1',
          '--clips-per-output',
          '1',
          '--json',
        ],
        machine,
      );
    const paid = await mix('paid');
    expect(paid.code, `${paid.stderr}\n${worker.stderr}`).toBe(0);
    expect(worker.stderr).toMatch(/signed by licensed machine \S+ \(licence /);
    const free = await mix('free');
    expect(free.code, free.stderr).toBe(0);
    expect(worker.stderr).toMatch(/unlicensed \(the submitting machine is not licensed\)/);
    const video = async (machine: string) => {
      const out = join(dir, 'share', `out-${machine}`);
      const name = (await readdir(out)).find((n) => n.endsWith('.mp4'))!;
      return join(out, name);
    };
    expect(await brightest(await video('paid'))).toBeLessThan(40);
    expect(await brightest(await video('free'))).toBeGreaterThan(150);
    expect(await user.balance()).toBe(4);
  }, 400_000);
});
