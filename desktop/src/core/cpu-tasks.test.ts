import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { makeClip } from '../../test/fixtures/media.ts';
import { contentKey } from '../engine/hash/content-key.ts';
import { summarisePlan } from '../engine/plan/planner.ts';
import { analyseClip } from '../engine/validate/analyse.ts';
import { createCpuPool } from './cpu-tasks.ts';

const root = mkdtempSync(join(tmpdir(), 'vmp-cpu-tasks-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

describe("the app's CPU tasks in the FFmpeg pool's threads", () => {
  it('runs CPU tasks (planning) in a worker thread: same result as on the main thread, errors keep their code', async () => {
    const pool = createCpuPool({ concurrency: 1 });
    try {
      const groups = [0, 1, 2].map((g) => ({
        name: `G${g}`,
        clips: Array.from({ length: 5 }, (_, k) => ({ id: `g${g}-${k}`, duration: 1 + k, valid: true })),
      }));
      const input = { mode: 'manual' as const, groups, rules: [{ a: 'g0-0', b: 'g1-0' }], seed: 3, count: 40 };
      const inWorker = await pool.compute('summarisePlan', input);
      expect(inWorker).toEqual(summarisePlan(input));
      expect(pool.active).toBe(0); // CPU tasks do not take FFmpeg slots
      const tooMany = await pool.compute('summarisePlan', { ...input, count: 1000 }).catch((e: unknown) => e);
      expect(tooMany).toMatchObject({ code: 'VALIDATION_ERROR', status: 422 });
    } finally {
      await pool.destroy();
    }
  });

  it('hashes, analyses and makes stills in a worker thread: the same results as on the main thread', async () => {
    const pool = createCpuPool({ concurrency: 1 });
    try {
      const clip = await makeClip(join(root, 'media'), 'clip', { duration: 0.5 });
      const key = await pool.compute('contentKey', clip);
      expect(key).toBe(await contentKey(clip));
      const limits = { maxBytes: 1e9, minDuration: 0.2 };
      expect(await pool.compute('analyseClips', [clip], { limits })).toEqual([await analyseClip(clip, { limits })]);
      const still = await pool.compute('thumbnail', clip, { cacheDir: join(root, 'thumbs'), hash: key, duration: 0.5 });
      expect(still).toMatch(/\.jpg$/);
      const missing = await pool.compute('contentKey', join(root, 'nope.mp4')).catch((e: unknown) => e);
      expect(missing).toMatchObject({ message: expect.stringContaining('nope.mp4') });
    } finally {
      await pool.destroy();
    }
  });
});
