import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LoudnessStore } from './store.ts';

let root: string;
beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'vmp-loudness-store-'));
});
afterAll(async () => {
  await rm(root, { recursive: true, force: true });
});

describe('LoudnessStore keys', () => {
  it('names a file by a 64-hex content hash inside its folder', () => {
    const store = new LoudnessStore(join(root, 'cache'));
    const hash = 'ab'.repeat(32);
    expect(store.pathFor(hash)).toBe(join(root, 'cache', `loudness-${hash}.json`));
  });

  it('refuses any other hash before touching the disk (the reported traversal)', async () => {
    const store = new LoudnessStore(join(root, 'cache'));
    for (const bad of ['x/../../../victim2', '../victim', 'AB'.repeat(32), 'ab'.repeat(31), `${'ab'.repeat(32)}\n`]) {
      expect(() => store.pathFor(bad)).toThrow(/content hash/);
      await expect(store.get(bad, join(root, 'missing.mp4'))).rejects.toMatchObject({ code: 'BAD_CONTENT_HASH' });
    }
    expect(await readdir(root)).toEqual([]);
  });
});
