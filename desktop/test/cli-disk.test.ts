import { execFileSync, spawnSync } from 'node:child_process';
import { mkdir, mkdtemp, readdir, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ffprobeJson, makeClip } from './fixtures/media.ts';
import { runVmp } from './helpers/cli.ts';

// `vmp mix` into a folder on a real, tiny file system (tmpfs, 1 MB: one 1080×1920 two-second video fits, the
// second does not), then the same command again once there is room.
let dir: string;
let out: string;
let mounted = false;

/** Whether this process may mount a tmpfs (root in a sandbox that allows it). */
function canMount(): boolean {
  if (process.platform !== 'linux' || process.getuid?.() !== 0) return false;
  const probe = join(tmpdir(), `vmp-mount-probe-${process.pid}`);
  spawnSync('mkdir', ['-p', probe]);
  const ok = spawnSync('mount', ['-t', 'tmpfs', '-o', 'size=64k', 'tmpfs', probe]).status === 0;
  if (ok) spawnSync('umount', [probe]);
  spawnSync('rmdir', [probe]);
  return ok;
}

const vmp = (args: string[]) => runVmp(args, { VMP_CACHE_DIR: join(dir, 'cache') });

const videosIn = async (folder: string) => (await readdir(folder)).filter((f) => f.endsWith('.mp4')).sort();

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'vmp-disk-'));
  out = join(dir, 'out');
  await mkdir(out);
});

afterAll(async () => {
  if (mounted) spawnSync('umount', [out]);
  await rm(dir, { recursive: true, force: true });
});

describe.runIf(canMount())('vmp mix on a full disk', () => {
  it('stops at the first "no space left", keeps what is done, and a re-run renders only the rest', async () => {
    for (const [i, frequency] of [300, 500, 700].entries()) {
      await makeClip(join(dir, 'clips'), `c${i + 1}`, { duration: 1, audio: { frequency } });
    }
    execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=1m', 'tmpfs', out]);
    mounted = true;
    const args = ['mix', join(dir, 'clips'), '--out', out, '--clips-per-output', '2', '--concurrency', '1'];

    const full = await vmp(args);
    expect(full.code).toBe(1);
    const made = await videosIn(out);
    expect(made.length).toBeGreaterThanOrEqual(1);
    expect(made.length).toBeLessThan(6);
    // One message for the whole run, not one per remaining video.
    expect(full.stderr.match(/no space left/gi)).toHaveLength(1);
    expect(full.stderr).toMatch(
      new RegExp(
        `stopped with ${made.length} videos? made \\(kept\\)\\. The other ${6 - made.length} videos? need about [\\d.]+ MB`,
      ),
    );
    const before = new Map<string, number>();
    for (const name of made) {
      const info = await ffprobeJson(join(out, name));
      expect(Number(info.format.duration)).toBeCloseTo(2, 1);
      before.set(name, (await stat(join(out, name))).mtimeMs);
    }

    execFileSync('mount', ['-o', 'remount,size=16m', out]);
    const again = await vmp(args);
    expect(again.code).toBe(0);
    expect(again.stderr).toMatch(new RegExp(`Keeping ${made.length} videos? already complete in`));
    expect(await videosIn(out)).toHaveLength(6);
    for (const [name, mtime] of before) expect((await stat(join(out, name))).mtimeMs, name).toBe(mtime);
  }, 240_000);
});
