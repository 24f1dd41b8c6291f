import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FfmpegPool } from '../pool/pool.ts';
import { resolveProfile } from '../profiles/profile.ts';
import { NormaliseCache } from './cache.ts';
import { makeSource } from './testing.ts';

// The app showed 0 % for minutes, then 100 %: outputs waiting on a normalisation another output had started (a
// shared clip) never heard of its progress.
describe('progress of shared work', () => {
  let dir: string;
  let pool: FfmpegPool;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'vmp-progress-'));
    pool = new FfmpegPool({ concurrency: 1 });
  });
  afterAll(async () => {
    await pool.destroy();
    await rm(dir, { recursive: true, force: true });
  });

  it('every caller waiting on one normalisation sees its FFmpeg progress, not only the one that started it', async () => {
    const cache = new NormaliseCache(join(dir, 'cache'), (job, o) => pool.run(job, o));
    const source = await makeSource(join(dir, 'src'), 'shared', { duration: 3, width: 320, height: 240 });
    const profile = resolveProfile({ format: '1:1' });
    const first: number[] = [];
    const second: number[] = [];
    const [a, b] = await Promise.all([
      cache.get(source, profile, { onProgress: (f) => first.push(f) }),
      cache.get(source, profile, { onProgress: (f) => second.push(f) }),
    ]);
    expect(a).toBe(b);
    expect(cache.runs).toBe(1);
    expect(first.some((f) => f > 0 && f < 1)).toBe(true);
    expect(second.some((f) => f > 0 && f < 1)).toBe(true);
  }, 60_000);
});
