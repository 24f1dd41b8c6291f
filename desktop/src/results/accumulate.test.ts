import { describe, expect, it } from 'vitest';
import { effectiveRows } from './accumulate.ts';

const r = (adName: string, start: string, impressions: number) => ({
  adName,
  adId: null,
  start,
  end: start,
  impressions,
});

describe('several imports', () => {
  it('count each ad and date range once, the newest import winning; new ranges add up', () => {
    const week1 = { rows: [r('H1-B1', '2026-11-01', 100), r('H2-B1', '2026-11-01', 50)] };
    const week1Again = { rows: [r('h1-b1 ', '2026-11-01', 120)] };
    const week2 = { rows: [r('H1-B1', '2026-11-08', 300)] };
    const rows = effectiveRows([week1, week2, week1Again]);
    expect(rows.map((x) => x.impressions).sort((a, b) => a - b)).toEqual([50, 120, 300]);
  });

  it('keep rows of one import that share a name (the same ad name in two ad sets)', () => {
    expect(effectiveRows([{ rows: [r('H1', '', 1), r('H1', '', 2)] }])).toHaveLength(2);
  });
});
