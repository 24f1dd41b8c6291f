import { describe, expect, it } from 'vitest';
import { type BatchFactor, planNextBatch } from './next-batch.ts';

const stats = new Map([
  ['H1', { clicks: 450, impressions: 15000 }],
  ['H2', { clicks: 150, impressions: 15000 }],
  ['B1', { clicks: 300, impressions: 15000 }],
  ['B2', { clicks: 300, impressions: 15000 }],
]);
const opt = (code: string) => ({ key: `k-${code}`, code });
const factors: BatchFactor[] = [
  { name: 'Hook', options: ['H1', 'H2', 'H3'].map(opt) },
  { name: 'Body', options: ['B1', 'B2', 'B3', 'B4', 'B5', 'B6', 'B7', 'B8'].map(opt) },
];

describe('next batch planner', () => {
  it('favours the winning hook over seeds, keeps a share for components without data, never repeats a run ad', () => {
    const ran = new Set(['H1-B1', 'H1-B2', 'H2-B1']);
    const tally = new Map<string, number>();
    for (let seed = 1; seed <= 40; seed++) {
      const batch = planNextBatch({ factors, stats, ran, count: 8, seed, exploration: 0.25 });
      expect(batch.combinations).toHaveLength(8);
      const names = batch.combinations.map((c) => c.adName);
      expect(new Set(names).size).toBe(8);
      for (const n of names) expect(ran.has(n)).toBe(false);
      for (const c of batch.combinations) tally.set(c.codes[0]!, (tally.get(c.codes[0]!) ?? 0) + 1);
    }
    const h1 = tally.get('H1') ?? 0;
    const h2 = tally.get('H2') ?? 0;
    const h3 = tally.get('H3') ?? 0;
    // 320 picks: H1 (CTR 3 %) is drawn far more often than H2 (1 %); H3 (no data) gets roughly the 25 % share.
    expect(h1).toBeGreaterThan(150);
    expect(h2).toBeLessThan(20);
    expect(h3).toBeGreaterThan(50);
    expect(h1 + h2 + h3).toBe(320);
  });

  it('is seeded, respects never-together rules and the count, and explains what it kept', () => {
    const rules = [{ a: 'k-H1', b: 'k-B3' }];
    const a = planNextBatch({ factors, stats, ran: new Set(), count: 12, seed: 7, rules });
    const b = planNextBatch({ factors, stats, ran: new Set(), count: 12, seed: 7, rules });
    expect(a).toEqual(b);
    expect(a.combinations).toHaveLength(12);
    expect(a.combinations.some((c) => c.adName === 'H1-B3')).toBe(false);
    expect(a.explain.some((l) => l.startsWith('H1 kept: CTR 3.0 % [2.7–3.3], in '))).toBe(true);
    expect(a.explain.some((l) => /^H3 explored: not enough data/.test(l))).toBe(true);
    expect(planNextBatch({ factors, stats, ran: new Set(), count: 12, seed: 8, rules })).not.toEqual(a);
  });

  it('stops at the combinations left untried', () => {
    const small: BatchFactor[] = [
      { name: 'Hook', options: ['H1', 'H2'].map(opt) },
      { name: 'Body', options: ['B1'].map(opt) },
    ];
    const batch = planNextBatch({ factors: small, stats, ran: new Set(['H1-B1']), count: 5, seed: 1 });
    expect(batch.combinations.map((c) => c.adName)).toEqual(['H2-B1']);
    expect(batch.untried).toBe(1);
  });
});
