import { rm, unlink } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeClip } from '../fixtures/media.ts';
import { type CliRun, runVmp } from '../helpers/cli.ts';
import { tempDir } from './helpers.ts';
import { customer, freePort, type ServerProcess, startServerProcess } from './server-process.ts';

// `vmp license`, `vmp credits` and the money side of `vmp mix`, as a user runs them, against the real server.
let dir: string;
let server: ServerProcess;
let clips: string;

function vmp(args: string[]): Promise<CliRun> {
  return runVmp(args, {
    VMP_DATA_DIR: join(dir, 'data'),
    VMP_CACHE_DIR: join(dir, 'cache'),
    VMP_SERVER_URL: server.url,
    VMP_TRUST_SERVER_KEYS: 'dev',
    VMP_MACHINE_ID: 'm1-e2e-cli-machine',
    VMP_SECRET_STORE: 'key-file',
    VMP_KEY_DIR: join(dir, 'keys'),
  });
}

beforeAll(async () => {
  dir = await tempDir('licensing-cli');
  server = await startServerProcess({ dataDir: join(dir, 'server'), port: await freePort() });
  clips = join(dir, 'clips');
  for (const color of ['red', 'green', 'blue']) await makeClip(clips, color, { color, duration: 0.4 });
}, 180_000);

afterAll(async () => {
  await server?.stop();
  if (dir) await rm(dir, { recursive: true, force: true });
});

describe('vmp license, vmp credits, vmp mix with credits', () => {
  it('mixes unlicensed with a watermark, then activates and pays one credit per video', async () => {
    const user = await customer(server.url, { credits: 3 });
    const mixArgs = (out: string, count: number) => [
      'mix',
      clips,
      '--out',
      join(dir, out),
      '--count',
      String(count),
      '--clips-per-output',
      '2',
      '--concurrency',
      '1',
      '--json',
    ];
    const free = await vmp(mixArgs('free', 1));
    expect(free.code, free.stderr).toBe(0);
    expect(free.stderr).toMatch(/Unlicensed: every video carries a "Video Mixer Pro — unlicensed" watermark/);
    expect(JSON.parse(free.stdout).credits).toMatchObject({ mode: 'unlicensed', charged: 0 });

    const activated = await vmp(['license', 'activate', user.licenseKey, '--json']);
    expect(activated.code, activated.stderr).toBe(0);
    expect(JSON.parse(activated.stdout)).toMatchObject({ state: 'active', licenseType: 'PRO' });
    const status = await vmp(['license', 'status']);
    expect(status.stdout).toMatch(/License: active \(PRO\)/);
    expect(status.stdout).toMatch(/Machine secret: key-file/);

    const paid = await vmp(mixArgs('paid', 2));
    expect(paid.code, paid.stderr).toBe(0);
    expect(paid.stderr).toMatch(/Cost: 2 credits \(1 per video\)\. Balance: 3; available after this job: 1\./);
    expect(JSON.parse(paid.stdout).credits).toMatchObject({ mode: 'reserved', cost: 2, charged: 2 });
    expect(await user.balance()).toBe(1);

    const short = await vmp(mixArgs('short', 2));
    expect(short.code).toBe(1);
    expect(short.stderr).toMatch(/This job needs 2 credits; 1 is available\./);
    expect(await user.balance()).toBe(1);

    const credits = await vmp(['credits', '--json']);
    expect(JSON.parse(credits.stdout)).toMatchObject({ balance: 1, held: 0, pendingUsage: 0, online: true });
    const text = await vmp(['credits']);
    expect(text.stdout).toMatch(/Balance: 1/);

    const gone = await vmp(['license', 'deactivate', '--json']);
    expect(JSON.parse(gone.stdout)).toMatchObject({ state: 'unlicensed' });
  }, 300_000);

  it('re-running into the same folder pays only for the videos it renders, not for those it keeps', async () => {
    const user = await customer(server.url, { credits: 5 });
    const activated = await vmp(['license', 'activate', user.licenseKey, '--json']);
    expect(activated.code, activated.stderr).toBe(0);
    const args = ['mix', clips, '--out', join(dir, 'again'), '--count', '3', '-k', '2', '-j', '1', '--json'];

    const first = await vmp(args);
    expect(first.code, first.stderr).toBe(0);
    expect(JSON.parse(first.stdout).credits).toMatchObject({ mode: 'reserved', cost: 3, charged: 3 });
    expect(await user.balance()).toBe(2);

    // One video lost: the re-run keeps the other two, renders one and pays for one.
    const made = JSON.parse(first.stdout).outputs as { path: string }[];
    await unlink(made[1]!.path);
    const second = await vmp(args);
    expect(second.code, second.stderr).toBe(0);
    expect(second.stderr).toMatch(/Keeping 2 videos already complete/);
    expect(second.stderr).toMatch(/Cost: 1 credit \(1 per video\)\. Balance: 2; available after this job: 1\./);
    expect(JSON.parse(second.stdout).outputs).toHaveLength(3);
    expect(JSON.parse(second.stdout).credits).toMatchObject({ mode: 'reserved', cost: 1, charged: 1 });
    expect(await user.balance()).toBe(1);

    // Everything already there: nothing to render, nothing reserved or charged (even with 1 credit for 3 videos).
    const third = await vmp(args);
    expect(third.code, third.stderr).toBe(0);
    expect(third.stderr).toMatch(/Keeping 3 videos already complete/);
    expect(JSON.parse(third.stdout).credits).toMatchObject({ cost: 0, charged: 0 });
    expect(await user.balance()).toBe(1);
    const credits = JSON.parse((await vmp(['credits', '--json'])).stdout);
    expect(credits).toMatchObject({ balance: 1, held: 0, pendingUsage: 0 });
  }, 300_000);
});
