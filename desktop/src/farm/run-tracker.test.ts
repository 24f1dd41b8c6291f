import { describe, expect, it } from 'vitest';
import type { OutputProgress } from '../engine/render/types.ts';
import { FarmRunTracker } from './run-tracker.ts';

function tracker() {
  const progress: OutputProgress[] = [];
  const done: string[] = [];
  const failed: string[] = [];
  const workers: string[] = [];
  const t = new FarmRunTracker(
    [0, 1, 2, 3].map((index) => ({
      combination: { index, clipIds: ['a', 'b'] },
      path: `/share/out/v${index}.mp4`,
      sources: ['/share/clips/a.mp4', '/share/clips/b.mp4'],
      seed: 1,
    })),
    {
      onProgress: (p) => progress.push(p),
      onOutputDone: (o) => done.push(`${o.index}@${o.worker}`),
      onOutputFailed: (index, error) => failed.push(`${index}: ${error.message}`),
      onOutputWorker: (index, worker, path) => workers.push(`${index}@${worker} ${path}`),
    },
  );
  return { t, progress, done, failed, workers };
}

describe('FarmRunTracker', () => {
  it('passes on per-output progress from any worker, done outputs at 1, and ignores what is not progress', () => {
    const { t, progress } = tracker();
    t.progress({ worker: 'w1:1', fractions: { 0: 0.5, 1: 0.25, 9: 0.5 }, done: [] });
    t.progress({ worker: 'w2:2', fractions: {}, done: [{ index: 2, duration: 1, seed: 3, worker: 'w2:2' }] });
    t.progress('not progress');
    expect(progress).toEqual([
      { index: 0, phase: 'rendering', fraction: 0.5 },
      { index: 1, phase: 'rendering', fraction: 0.25 },
      { index: 2, phase: 'done', fraction: 1 },
    ]);
  });

  it("names the worker of a batch's unfinished outputs from its first progress, again when another takes over", () => {
    const { t, workers } = tracker();
    t.progress({ worker: 'w1:1', fractions: {}, done: [{ index: 0, duration: 1, seed: 3, worker: 'w0:9' }] }, [0, 1]);
    t.progress({ worker: 'w1:1', fractions: { 1: 0.5 }, done: [] }, [0, 1]);
    t.progress({ worker: 'w2:2', fractions: {}, done: [] }, [0, 1, 7]);
    t.progress('not progress', [2]);
    expect(workers).toEqual(['1@w1:1 /share/out/v1.mp4', '1@w2:2 /share/out/v1.mp4']);
  });

  it('reports each output once, whoever says so and however often', () => {
    const { t, done, failed } = tracker();
    const entry = { index: 1, duration: 1, seed: 0, worker: 'w1:1' };
    t.progress({ worker: 'w1:1', fractions: {}, done: [entry] });
    t.progress({ worker: 'w1:1', fractions: { 1: 0.3 }, done: [entry] });
    t.batchFinished('j0', [0, 1], {
      returnvalue: {
        worker: 'w2:2',
        outputs: [
          { ...entry, worker: 'w2:2' },
          { ...entry, index: 0 },
        ],
        failed: [],
      },
    });
    expect(done).toEqual(['1@w1:1', '0@w1:1']);
    expect(failed).toEqual([]);
    const { outputs } = t.results();
    expect(outputs.map((o) => [o.index, o.path, o.sources])).toEqual([
      [0, '/share/out/v0.mp4', ['/share/clips/a.mp4', '/share/clips/b.mp4']],
      [1, '/share/out/v1.mp4', ['/share/clips/a.mp4', '/share/clips/b.mp4']],
    ]);
    expect(outputs[0]!.seed).toBeGreaterThan(0);
  });

  it('fails what a failed or lost batch did not finish, with the reason, and keeps what it did', () => {
    const { t, done, failed } = tracker();
    t.progress({ worker: 'w1:1', fractions: {}, done: [{ index: 2, duration: 1, seed: 5, worker: 'w1:1' }] });
    t.batchFinished('j1', [2, 3], { returnvalue: null, failedReason: 'Clip "/mnt/x/a.mp4" is missing' });
    t.batchLost('j0', [0, 1]);
    expect(done).toEqual(['2@w1:1']);
    expect(failed).toEqual([
      '3: Output 4 failed on the farm: Clip "/mnt/x/a.mp4" is missing',
      expect.stringMatching(/^0: The farm lost batch j0 \(outputs 1, 2\)/),
      expect.stringMatching(/^1: The farm lost batch j0/),
    ]);
    expect(t.results().failed.map((f) => [f.index, (f.error as { code?: string }).code])).toEqual([
      [0, 'FARM_BATCH_FAILED'],
      [1, 'FARM_BATCH_FAILED'],
      [3, 'FARM_BATCH_FAILED'],
    ]);
  });
});
