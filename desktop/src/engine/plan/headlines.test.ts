import { describe, expect, it } from 'vitest';
import { countPossible, type PlanGroup, planCombinations, summarisePlan } from './planner.ts';

const clip = (id: string, duration = 2) => ({ id, duration });
const h = (id: string, text = id.toUpperCase()) => ({ id, text });

/** 2 hooks × 2 headlines (over the hook) × 2 bodies × 2 CTAs. */
const withHeadlines: PlanGroup[] = [
  {
    name: 'hook',
    clips: [clip('hook1'), clip('hook2')],
    headlines: [h('h1', 'Stop scrolling'), h('h2', 'Wait for it')],
  },
  { name: 'body', clips: [clip('body1'), clip('body2')] },
  { name: 'cta', clips: [clip('cta1'), clip('cta2')] },
];
const key = (c: { clipIds: string[]; headlines?: (string | null)[] }) =>
  `${c.clipIds.join('+')}#${(c.headlines ?? []).join('|')}`;

describe('planner: headlines are one more factor', () => {
  it('counts 2 × 2 × 2 × 2 = 16 and makes all 16, each distinct, one headline over the hook only', () => {
    expect(countPossible({ mode: 'manual', groups: withHeadlines })).toEqual({ value: 16n, exact: true });
    const plan = planCombinations({ mode: 'manual', groups: withHeadlines });
    expect(plan.count).toBe(16);
    expect(new Set(plan.combinations.map(key)).size).toBe(16);
    for (const c of plan.combinations) {
      expect(c.clipIds).toHaveLength(3);
      expect(c.headlines).toHaveLength(3);
      expect(['Stop scrolling', 'Wait for it']).toContain(c.headlines![0]);
      expect(c.headlines!.slice(1)).toEqual([null, null]);
    }
    // Durations come from clips only: headlines add none.
    expect(summarisePlan({ mode: 'manual', groups: withHeadlines }).totalDuration).toBe(16 * 3 * 2);
  });

  it('spreads headlines evenly in any prefix (±1) and is seeded', () => {
    for (const count of [3, 5, 7]) {
      const plan = planCombinations({ mode: 'manual', groups: withHeadlines, count, seed: 9 });
      const uses = ['Stop scrolling', 'Wait for it'].map(
        (t) => plan.combinations.filter((c) => c.headlines?.[0] === t).length,
      );
      expect(uses[0]! + uses[1]!).toBe(count);
      expect(Math.abs(uses[0]! - uses[1]!)).toBeLessThanOrEqual(1);
      expect(planCombinations({ mode: 'manual', groups: withHeadlines, count, seed: 9 })).toEqual(plan);
    }
    const a = planCombinations({ mode: 'manual', groups: withHeadlines, seed: 1 }).combinations.map(key);
    const b = planCombinations({ mode: 'manual', groups: withHeadlines, seed: 2 }).combinations.map(key);
    expect(a).not.toEqual(b);
  });

  it('applies never-together rules to headlines by id', () => {
    const rules = [{ a: 'h2', b: 'cta1' }];
    expect(countPossible({ mode: 'manual', groups: withHeadlines, rules }).value).toBe(12n);
    const plan = planCombinations({ mode: 'manual', groups: withHeadlines, rules });
    expect(plan.count).toBe(12);
    expect(plan.combinations.some((c) => c.headlines?.[0] === 'Wait for it' && c.clipIds[2] === 'cta1')).toBe(false);
  });

  it('leaves plans without headlines exactly as before (no headlines field)', () => {
    const plain = withHeadlines.map(({ headlines: _, ...g }) => g);
    const plan = planCombinations({ mode: 'manual', groups: plain, seed: 3 });
    expect(plan.count).toBe(8);
    expect(plan.combinations.every((c) => c.headlines === undefined)).toBe(true);
    const empty = planCombinations({ mode: 'manual', groups: plain.map((g) => ({ ...g, headlines: [] })), seed: 3 });
    expect(empty).toEqual(plan);
  });

  it('--count N spreads over clip sequences first: no sequence twice before every one is used (defect 10)', () => {
    // 8 clip sequences × 2 headlines: `--count 6` showed 3 sequences, each with both headlines.
    for (const seed of [1, 2, 3, 4, 5, 6, 7, 8, 9, 10]) {
      for (const count of [2, 6, 8]) {
        const plan = planCombinations({ mode: 'manual', groups: withHeadlines, count, seed });
        const sequences = new Set(plan.combinations.map((c) => c.clipIds.join('+')));
        expect(sequences.size, `seed ${seed}, count ${count}`).toBe(count);
      }
      // Past the 8 sequences, each comes back with its other headline.
      const all = planCombinations({ mode: 'manual', groups: withHeadlines, count: 16, seed });
      expect(new Set(all.combinations.map(key)).size).toBe(16);
    }
  });
});
