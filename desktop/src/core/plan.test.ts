import { RenderSettings } from '@vmp/shared';
import type { Clip, ProjectDetail } from '@vmp/shared/api';
import { describe, expect, it } from 'vitest';
import { countWarnings, planInputFor } from './plan.ts';

const clip = (id: string, status: Clip['status'] = 'ok'): Clip => ({
  id,
  projectId: 'p',
  path: `/${id}.mp4`,
  name: `${id}.mp4`,
  hash: 'h',
  size: 1,
  info: { container: 'mp4', duration: 2, size: 1, video: null, audio: null },
  problems: [],
  status,
  hasThumbnail: false,
  addedAt: 0,
});

function detail(mode: 'manual' | 'auto'): ProjectDetail {
  return {
    project: {
      id: 'p',
      name: 'P',
      mode,
      settings: RenderSettings.parse({ clipsPerOutput: 2, count: 3 }),
      outputDir: '/o',
      createdAt: 0,
      updatedAt: 0,
    },
    clips: [clip('a'), clip('b'), clip('c', 'missing')],
    groups: [
      { id: 'g1', projectId: 'p', name: 'Hook', position: 0, clipIds: ['a', 'c'] },
      { id: 'g2', projectId: 'p', name: 'Body', position: 1, clipIds: ['b'] },
    ],
    rules: [{ id: 'r', projectId: 'p', clipA: 'a', clipB: 'b' }],
  };
}

describe('planInputFor', () => {
  it('maps groups in order, marks unusable clips invalid and warns about them', () => {
    const { input, warnings } = planInputFor(detail('manual'));
    expect(input).toMatchObject({ mode: 'manual', count: 3, seed: 1, rules: [{ a: 'a', b: 'b' }] });
    if (input.mode !== 'manual') throw new Error('manual expected');
    expect(input.groups.map((g) => [g.name, g.clips.map((c) => [c.id, c.valid])])).toEqual([
      [
        'Hook',
        [
          ['a', true],
          ['c', false],
        ],
      ],
      ['Body', [['b', true]]],
    ]);
    expect(warnings[0]).toMatch(/1 clip left out: "c.mp4" \(missing\)/);
  });

  it('uses the whole pool in auto mode', () => {
    const { input } = planInputFor(detail('auto'));
    expect(input).toMatchObject({ mode: 'auto', clipsPerOutput: 2 });
  });
});

describe('countWarnings', () => {
  it('says when the default count is capped or fewer combinations exist', () => {
    expect(countWarnings(undefined, 1000, 500)[0]).toMatch(/1,000 combinations are possible; 500 are planned/);
    expect(countWarnings(10, 4, 4)[0]).toMatch(/Only 4 distinct/);
    expect(countWarnings(2, 4, 2)).toEqual([]);
  });
});
