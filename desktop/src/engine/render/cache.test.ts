import { spawnSync } from 'node:child_process';
import { mkdir, mkdtemp, readdir, rm, utimes, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isStaleLeftover, STALE_TEMP_MS, sweepLeftovers } from './cache.ts';

describe('cache leftovers', () => {
  const alive = new Set([100]);
  const isAlive = (pid: number) => alive.has(pid);

  it('decides by process and age, and touches only temps and concat lists', () => {
    expect(isStaleLeftover('abc-1080x1920-30-cover.mov.100-deadbeef.tmp', 1000, isAlive)).toBe(false);
    expect(isStaleLeftover('abc-1080x1920-30-cover.mov.200-deadbeef.tmp', 1000, isAlive)).toBe(true);
    expect(isStaleLeftover('abc-1080x1920-30-cover.mov.100-deadbeef.tmp', STALE_TEMP_MS + 1, isAlive)).toBe(true);
    expect(isStaleLeftover('0a1b2c.ffconcat', 1000, isAlive)).toBe(false);
    expect(isStaleLeftover('0a1b2c.ffconcat', STALE_TEMP_MS + 1, isAlive)).toBe(true);
    expect(isStaleLeftover('abc-1080x1920-30-cover.mov', STALE_TEMP_MS * 10, isAlive)).toBe(false);
  });

  it('judges process ids only in temps of this machine (a cache shared by a render farm)', () => {
    expect(isStaleLeftover('abc.mov.200-deadbeef@0badf00d.tmp', 1000, isAlive, '0badf00d')).toBe(true);
    expect(isStaleLeftover('abc.mov.100-deadbeef@0badf00d.tmp', 1000, isAlive, '0badf00d')).toBe(false);
    // Another machine's run in progress: its pid means nothing here; only age counts.
    expect(isStaleLeftover('abc.mov.200-deadbeef@12345678.tmp', 1000, isAlive, '0badf00d')).toBe(false);
    expect(isStaleLeftover('abc.mov.200-deadbeef@12345678.tmp', STALE_TEMP_MS + 1, isAlive, '0badf00d')).toBe(true);
  });

  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'vmp-sweep-'));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('sweeps a dead process’s temp and old lists, keeps live temps and finished intermediates', async () => {
    // A real process that has exited: its id is free.
    const dead = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))']).stdout.toString();
    const files = {
      done: 'k1-1080x1920-30-cover.mov',
      deadTemp: `k2-1080x1920-30-cover.mov.${dead}-00ff00ff.tmp`,
      ownTemp: `k3-1080x1920-30-cover.mov.${process.pid}-00ff00ff.tmp`,
    };
    for (const name of Object.values(files)) await writeFile(join(dir, name), 'x');
    await mkdir(join(dir, 'lists'));
    await writeFile(join(dir, 'lists', 'old.ffconcat'), 'ffconcat version 1.0\n');
    await writeFile(join(dir, 'lists', 'new.ffconcat'), 'ffconcat version 1.0\n');
    const twoDaysAgo = new Date(Date.now() - 2 * STALE_TEMP_MS);
    await utimes(join(dir, 'lists', 'old.ffconcat'), twoDaysAgo, twoDaysAgo);

    expect(await sweepLeftovers(dir)).toBe(2);
    expect((await readdir(dir)).sort()).toEqual([files.done, files.ownTemp, 'lists'].sort());
    expect(await readdir(join(dir, 'lists'))).toEqual(['new.ffconcat']);
  });
});
