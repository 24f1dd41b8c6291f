import { RenderSettings } from '@vmp/shared';
import { describe, expect, it } from 'vitest';
import { overallProgress } from './mix.ts';
import { planFileNames } from './plan-outputs.ts';
import type { RenderSource } from './render/types.ts';

const source = (id: string, path: string) => ({ id, path, hash: id, info: {} }) as unknown as RenderSource;

describe('mix planning', () => {
  it('names every output from the template, de-duplicated across the plan', () => {
    const sources = [source('a', '/clips/intro.mp4'), source('b', '/other/intro.mov'), source('c', '/c/end.mp4')];
    const names = planFileNames(
      'P',
      [
        { index: 0, clipIds: ['a', 'c'] },
        { index: 1, clipIds: ['b', 'c'] },
        { index: 2, clipIds: ['a', 'c'] },
      ],
      new Map(sources.map((s) => [s.id, s.path])),
      RenderSettings.parse({ nameTemplate: '{project}-{clips}' }),
    );
    expect(names).toEqual(['P-intro_end.mp4', 'P-intro_end-2.mp4', 'P-intro_end-3.mp4']);
  });

  it('overall progress is the mean over outputs; the ETA waits for a finished output, then follows the rate (defect 4)', () => {
    expect(overallProgress(new Map(), 4, 1, 0)).toEqual({ overall: 0, etaSeconds: null });
    const half = new Map([
      [0, 0.5],
      [1, 0.5],
    ]);
    // Progress but no output finished yet: "estimating…", not a guess from the shared normalising.
    expect(overallProgress(half, 4, 30, 0)).toEqual({ overall: 0.25, etaSeconds: null });
    const oneDone = new Map([
      [0, 1],
      [1, 0.5],
    ]);
    expect(overallProgress(oneDone, 4, 30, 1)).toEqual({ overall: 0.375, etaSeconds: 50 });
    expect(overallProgress(new Map([[0, 1]]), 1, 30, 1)).toEqual({ overall: 1, etaSeconds: 0 });
  });
});
