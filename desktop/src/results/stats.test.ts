import { describe, expect, it } from 'vitest';
import { type AdRef, computeResults, MIN_IMPRESSIONS } from './compute.ts';
import { matchAd } from './match.ts';
import type { ReportRow } from './report.ts';
import { wilson } from './stats.ts';

const row = (adName: string, o: Partial<ReportRow> = {}): ReportRow => ({
  line: 2,
  adName,
  adId: null,
  impressions: 0,
  clicks: 0,
  spend: 0,
  conversions: 0,
  hookViews: null,
  start: '',
  end: '',
  ...o,
});

describe('Wilson interval (95 %)', () => {
  // Hand-computed: p = 30/1000, z = 1.95996; centre (p + z²/2n)/(1 + z²/n) = 0.0317986,
  // half-width z·sqrt(p(1-p)/n + z²/4n²)/(1 + z²/n) = 0.0107049.
  it('matches hand-computed bounds', () => {
    const [lo, hi] = wilson(30, 1000);
    expect(lo).toBeCloseTo(0.0210937, 6);
    expect(hi).toBeCloseTo(0.0425034, 6);
    const [lo2, hi2] = wilson(450, 15000);
    expect(lo2).toBeCloseTo(0.0273881, 6);
    expect(hi2).toBeCloseTo(0.0328526, 6);
    expect(wilson(0, 50)[0]).toBeCloseTo(0, 9);
    expect(wilson(0, 50)[1]).toBeCloseTo(0.0713476, 6);
    expect(wilson(50, 50)[1]).toBe(1);
    expect(wilson(0, 0)).toEqual([0, 1]);
  });
});

describe('matching report rows to ads', () => {
  const names = ['H1-B1-C1', 'H1-B1-C1-T1', 'H12-B1-C1', 'G1.2-B1'];
  it('finds the longest ad name inside what the platform exported, with word boundaries', () => {
    expect(matchAd('H1-B1-C1-T1', names)).toBe('H1-B1-C1-T1');
    expect(matchAd('H1-B1-C1-T1 - Copy', names)).toBe('H1-B1-C1-T1');
    expect(matchAd('h1-b1-c1 – Reels (2)', names)).toBe('H1-B1-C1');
    expect(matchAd('Summer_H12-B1-C1_reels.mp4', names)).toBe('H12-B1-C1');
    expect(matchAd('G1.2-B1.mp4', names)).toBe('G1.2-B1');
    expect(matchAd('H2-B1-C1', names)).toBeNull();
    expect(matchAd('XH1-B1-C1', names)).toBeNull();
    expect(matchAd('H1-B1-C12', names)).toBeNull();
  });
});

describe('per-component results', () => {
  const ads: AdRef[] = [
    { adName: 'H1-B1-T1', adId: 'ad0000000001', components: { Hook: 'H1', Body: 'B1', headline: 'T1' } },
    { adName: 'H2-B1-T1', adId: 'ad0000000002', components: { Hook: 'H2', Body: 'B1', headline: 'T1' } },
    { adName: 'H3-B1-T1', adId: 'ad0000000003', components: { Hook: 'H3', Body: 'B1', headline: 'T1' } },
  ];
  it('sums rows per component, computes CTR, hook rate, CPA with intervals, ranks and flags thin data', () => {
    const result = computeResults(
      [
        row('H1-B1-T1', { impressions: 1000, clicks: 30, spend: 50, conversions: 5, hookViews: 400 }),
        row('H1-B1-T1 copy', { impressions: 500, clicks: 5, spend: 10, conversions: 0, hookViews: 100 }),
        row('H2-B1-T1', { impressions: 2000, clicks: 20, spend: 40, conversions: 2, hookViews: 500 }),
        row('H3-B1-T1', { impressions: 200, clicks: 9, spend: 4 }),
        row('Somebody else’s ad', { impressions: 99, clicks: 1 }),
        row('', { impressions: 3799, clicks: 65, line: 9 }),
      ],
      ads,
    );
    const h1 = result.components.find((c) => c.code === 'H1')!;
    expect(h1).toMatchObject({ group: 'Hook', impressions: 1500, clicks: 35, spend: 60, conversions: 5, rank: 1 });
    expect(h1.ctr).toBeCloseTo(35 / 1500, 9);
    expect(h1.hookRate).toBeCloseTo(500 / 1500, 9);
    expect(h1.cpa).toBeCloseTo(12, 9);
    const [lo, hi] = wilson(35, 1500);
    expect(h1.ctrLow).toBeCloseTo(lo, 9);
    expect(h1.ctrHigh).toBeCloseTo(hi, 9);
    const h2 = result.components.find((c) => c.code === 'H2')!;
    expect(h2).toMatchObject({ rank: 2, cpa: 20, enoughData: true });
    const h3 = result.components.find((c) => c.code === 'H3')!;
    // 200 impressions is below the stated minimum: not ranked, hook rate unknown (no 3-second column data).
    expect(MIN_IMPRESSIONS).toBe(1000);
    expect(h3).toMatchObject({ rank: null, enoughData: false, hookRate: null, cpa: null });
    const b1 = result.components.find((c) => c.code === 'B1')!;
    expect(b1).toMatchObject({ group: 'Body', impressions: 3700, clicks: 64, rank: 1 });
    expect(b1.hookRate).toBeCloseTo(1000 / 3500, 9);
    expect(result.components.find((c) => c.code === 'T1')).toMatchObject({ group: 'headline', impressions: 3700 });
    expect(result.unmatched.map((u) => u.adName)).toEqual(['Somebody else’s ad', '']);
    expect(result.matchedRows).toBe(4);
  });

  it('lists components with no rows as not enough data', () => {
    const result = computeResults([], ads);
    expect(result.components).toHaveLength(5);
    expect(result.components.every((c) => c.impressions === 0 && c.rank === null && c.ctr === null)).toBe(true);
  });
});
