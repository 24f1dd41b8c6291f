import { describe, expect, it } from 'vitest';
import { BatchRun, PROGRESS_STEP } from './batch-run.ts';
import type { OutputProgress } from './types.ts';

// An assembly process of 8 outputs reported all 8 on every FFmpeg progress block (twice a second): in the app each
// report is an SQLite update and an event on the main thread, ~75 ms of JavaScript per output of a warm job.
describe('progress reports of a batch', () => {
  it('reports each output in steps of at least PROGRESS_STEP within a phase; phase changes, going back and done always', () => {
    const seen: OutputProgress[] = [];
    const run = new BatchRun([], { onProgress: (p) => seen.push(p) });
    run.report(0, 'normalising', 0);
    run.report(0, 'normalising', 0.01);
    run.report(0, 'normalising', 0.2);
    run.report(0, 'rendering', 0.5);
    for (const f of [0.51, 0.52, 0.53, 0.54]) run.report(0, 'rendering', f);
    run.report(1, 'rendering', 0.52);
    run.report(0, 'rendering', 0.56);
    run.report(0, 'rendering', 0.5); // assembled again (a batch mate failed): the bar goes back
    run.report(0, 'done', 1);
    expect(seen.map((p) => [p.index, p.phase, p.fraction])).toEqual([
      [0, 'normalising', 0],
      [0, 'normalising', 0.2],
      [0, 'rendering', 0.5],
      [1, 'rendering', 0.52],
      [0, 'rendering', 0.56],
      [0, 'rendering', 0.5],
      [0, 'done', 1],
    ]);
    expect(PROGRESS_STEP).toBeLessThanOrEqual(0.05);
  });
});
