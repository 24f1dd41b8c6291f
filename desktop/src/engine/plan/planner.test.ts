import { DEFAULT_COUNT_CAP } from '@vmp/shared';
import { ValidationError } from '@vmp/shared/errors';
import { describe, expect, it } from 'vitest';
import { binomial, lcm, permutations } from './combinatorics.ts';
import {
  type ClipRule,
  countPossible,
  type PlanClip,
  type PlanGroup,
  planCombinations,
  summarisePlan,
} from './planner.ts';
import { createRng } from './prng.ts';

const clip = (id: string, duration = 1, valid = true): PlanClip => ({ id, duration, valid });
function groups(sizes: readonly number[]): PlanGroup[] {
  return sizes.map((n, g) => ({
    name: `G${g}`,
    clips: Array.from({ length: n }, (_, i) => clip(`g${g}c${i}`, 1 + i)),
  }));
}
const pool = (n: number) => Array.from({ length: n }, (_, i) => clip(`p${i}`, 0.5 + i / 10));

function usage(ids: string[][]): Map<string, number> {
  const counts = new Map<string, number>();
  for (const row of ids) for (const id of row) counts.set(id, (counts.get(id) ?? 0) + 1);
  return counts;
}
function spread(ids: readonly string[], counts: Map<string, number>): number {
  const values = ids.map((id) => counts.get(id) ?? 0);
  return Math.max(...values) - Math.min(...values);
}
const keyOf = (ids: readonly string[]) => ids.join('|');

describe('createRng', () => {
  it('is deterministic per seed and roughly uniform', () => {
    const a = createRng(42);
    const b = createRng(42);
    const xs = Array.from({ length: 1000 }, () => a.next());
    expect(Array.from({ length: 1000 }, () => b.next())).toEqual(xs);
    expect(createRng(43).next()).not.toBe(xs[0]);
    const buckets = new Array(10).fill(0);
    const r = createRng(7);
    for (let i = 0; i < 10_000; i++) buckets[r.int(10)]++;
    for (const n of buckets) expect(n).toBeGreaterThan(850);
    for (let i = 0; i < 200; i++) {
      const v = r.bigBelow(10n ** 30n + 7n);
      expect(v >= 0n && v < 10n ** 30n + 7n).toBe(true);
    }
  });
});

describe('combinatorics', () => {
  it('counts exactly', () => {
    expect(permutations(5, 3)).toBe(60n);
    expect(permutations(3, 4)).toBe(0n);
    expect(binomial(50, 12)).toBe(121399651100n);
    expect(lcm(4n, 6n)).toBe(12n);
  });
});

describe('manual mode', () => {
  it('gives the full cartesian product, each tuple once, one clip per group in group order', () => {
    const input = { mode: 'manual' as const, groups: groups([3, 2, 4]) };
    const plan = planCombinations(input);
    expect(plan.possible).toEqual({ value: 24n, exact: true });
    expect(plan.count).toBe(24);
    expect(new Set(plan.combinations.map((c) => keyOf(c.clipIds))).size).toBe(24);
    for (const c of plan.combinations) {
      expect(c.clipIds).toHaveLength(3);
      c.clipIds.forEach((id, g) => {
        expect(id.startsWith(`g${g}c`)).toBe(true);
      });
    }
    expect(plan.combinations.map((c) => c.index)).toEqual(Array.from({ length: 24 }, (_, i) => i));
  });

  it('property: distinct, balanced within ±1 per group, deterministic — over many shapes, counts and seeds', () => {
    const rng = createRng(2024);
    for (let trial = 0; trial < 300; trial++) {
      const g = 1 + rng.int(5);
      const sizes = Array.from({ length: g }, () => 1 + rng.int(7));
      const total = sizes.reduce((a, b) => a * b, 1);
      const count = 1 + rng.int(Math.min(total, 400));
      const seed = rng.int(2 ** 31);
      const input = { mode: 'manual' as const, groups: groups(sizes), count, seed };
      const plan = planCombinations(input);
      const ids = plan.combinations.map((c) => c.clipIds);
      expect(ids).toHaveLength(count);
      expect(new Set(ids.map(keyOf)).size).toBe(count);
      const counts = usage(ids);
      input.groups.forEach((group) => {
        expect(
          spread(
            group.clips.map((c) => c.id),
            counts,
          ),
          `sizes ${sizes} count ${count} seed ${seed}`,
        ).toBeLessThanOrEqual(1);
      });
      expect(planCombinations(input).combinations).toEqual(plan.combinations);
    }
  });

  it('walks the whole product as a bijection when sizes share factors', () => {
    for (const sizes of [
      [2, 2, 2],
      [4, 6, 9],
      [6, 4, 2, 3],
      [3, 3, 3, 3],
      [12, 8],
      [1, 5, 1],
    ]) {
      const total = sizes.reduce((a, b) => a * b, 1);
      const plan = planCombinations({ mode: 'manual', groups: groups(sizes), count: total, seed: total });
      expect(new Set(plan.combinations.map((c) => keyOf(c.clipIds))).size, `sizes ${sizes}`).toBe(total);
    }
  });

  it('differs between seeds', () => {
    const a = planCombinations({ mode: 'manual', groups: groups([5, 5, 5]), count: 10, seed: 1 });
    const b = planCombinations({ mode: 'manual', groups: groups([5, 5, 5]), count: 10, seed: 2 });
    expect(a.combinations).not.toEqual(b.combinations);
  });

  it('handles astronomically large spaces without enumerating (50 clips in 12 groups)', () => {
    const sizes = [5, 5, 5, 4, 4, 4, 4, 4, 4, 4, 4, 3];
    const input = { mode: 'manual' as const, groups: groups(sizes), count: 2000, seed: 9 };
    const plan = planCombinations(input);
    expect(plan.possible.value).toBe(sizes.reduce((a, b) => a * BigInt(b), 1n));
    expect(new Set(plan.combinations.map((c) => keyOf(c.clipIds))).size).toBe(2000);
    const counts = usage(plan.combinations.map((c) => c.clipIds));
    for (const group of input.groups)
      expect(
        spread(
          group.clips.map((c) => c.id),
          counts,
        ),
      ).toBeLessThanOrEqual(1);
    const huge = planCombinations({ mode: 'manual', groups: groups(Array(40).fill(30)), count: 3 });
    expect(huge.possible.value).toBe(30n ** 40n);
    expect(huge.combinations).toHaveLength(3);
  });

  it('defaults to every combination, capped at 500 unless count asks for more', () => {
    expect(planCombinations({ mode: 'manual', groups: groups([4, 5]) }).count).toBe(20);
    expect(planCombinations({ mode: 'manual', groups: groups([30, 30]) }).count).toBe(DEFAULT_COUNT_CAP);
    expect(planCombinations({ mode: 'manual', groups: groups([30, 30]), count: 900 }).count).toBe(900);
    expect(planCombinations({ mode: 'manual', groups: groups([30, 30]), countCap: 50 }).count).toBe(50);
  });

  it('refuses more outputs than combinations, saying how many are possible', () => {
    const attempt = () => planCombinations({ mode: 'manual', groups: groups([2, 3]), count: 7 });
    expect(attempt).toThrow(ValidationError);
    expect(attempt).toThrow(/only 6 different combinations/);
    expect(() => planCombinations({ mode: 'manual', groups: groups([2]), count: 0 })).toThrow(ValidationError);
    expect(() => planCombinations({ mode: 'manual', groups: groups([2]), count: 1.5 })).toThrow(/whole number/);
  });

  it('names an empty group and a group without usable clips; leaves out clips with problems', () => {
    const empty = [...groups([2]), { name: 'Outros', clips: [] }];
    expect(() => planCombinations({ mode: 'manual', groups: empty })).toThrow(/Group "Outros" is empty/);
    const broken = [...groups([2]), { name: 'Hooks', clips: [clip('h1', 1, false)] }];
    expect(() => planCombinations({ mode: 'manual', groups: broken })).toThrow(/Group "Hooks" has no usable clips/);
    expect(() => planCombinations({ mode: 'manual', groups: [] })).toThrow(ValidationError);
    const mixed = [{ name: 'A', clips: [clip('a1'), clip('a2', 1, false), clip('a3')] }, ...groups([2])];
    const plan = planCombinations({ mode: 'manual', groups: mixed });
    expect(plan.count).toBe(4);
    expect(plan.combinations.flatMap((c) => c.clipIds)).not.toContain('a2');
  });
});

describe('auto mode', () => {
  it('gives every ordered selection once when asked for all', () => {
    const plan = planCombinations({ mode: 'auto', clips: pool(5), clipsPerOutput: 3, count: 60 });
    expect(plan.possible).toEqual({ value: 60n, exact: true });
    expect(new Set(plan.combinations.map((c) => keyOf(c.clipIds))).size).toBe(60);
    for (const c of plan.combinations) expect(new Set(c.clipIds).size).toBe(3);
  });

  it('property: no clip twice in an output, distinct sequences, pool usage within ±1, deterministic', () => {
    const rng = createRng(77);
    for (let trial = 0; trial < 300; trial++) {
      const n = 1 + rng.int(9);
      const k = 1 + rng.int(n);
      const total = Number(permutations(n, k));
      const count = 1 + rng.int(Math.min(total, 500));
      const seed = rng.int(2 ** 31);
      const input = { mode: 'auto' as const, clips: pool(n), clipsPerOutput: k, count, seed };
      const plan = planCombinations(input);
      const ids = plan.combinations.map((c) => c.clipIds);
      expect(ids).toHaveLength(count);
      for (const row of ids) expect(new Set(row).size).toBe(k);
      expect(new Set(ids.map(keyOf)).size).toBe(count);
      const counts = usage(ids);
      expect(
        spread(
          input.clips.map((c) => c.id),
          counts,
        ),
        `n ${n} k ${k} count ${count} seed ${seed}`,
      ).toBeLessThanOrEqual(1);
      expect(planCombinations(input).combinations).toEqual(plan.combinations);
    }
  });

  it('handles huge pools without enumerating', () => {
    const plan = planCombinations({ mode: 'auto', clips: pool(50), clipsPerOutput: 12, count: 1234, seed: 3 });
    expect(plan.possible.value).toBe(permutations(50, 12));
    expect(new Set(plan.combinations.map((c) => keyOf(c.clipIds))).size).toBe(1234);
    expect(
      spread(
        pool(50).map((c) => c.id),
        usage(plan.combinations.map((c) => c.clipIds)),
      ),
    ).toBeLessThanOrEqual(1);
  });

  it('needs enough usable clips and a sane K', () => {
    expect(() => planCombinations({ mode: 'auto', clips: pool(2), clipsPerOutput: 3 })).toThrow(/at least 3 usable/);
    expect(() => planCombinations({ mode: 'auto', clips: [], clipsPerOutput: 3 })).toThrow(ValidationError);
    expect(() => planCombinations({ mode: 'auto', clips: pool(4), clipsPerOutput: 0 })).toThrow(ValidationError);
    expect(() => planCombinations({ mode: 'auto', clips: pool(3), clipsPerOutput: 2, count: 7 })).toThrow(/only 6/);
    const withBad = [...pool(3), clip('bad', 1, false)];
    const plan = planCombinations({ mode: 'auto', clips: withBad, clipsPerOutput: 3 });
    expect(plan.count).toBe(6);
    expect(plan.combinations.flatMap((c) => c.clipIds)).not.toContain('bad');
  });
});

describe('compatibility rules', () => {
  function bruteManual(sizes: number[], rules: ClipRule[]): number {
    const gs = groups(sizes);
    let count = 0;
    const walk = (g: number, chosen: string[]) => {
      if (g === gs.length) {
        const ok = rules.every((r) => r.a === r.b || !(chosen.includes(r.a) && chosen.includes(r.b)));
        if (ok) count++;
        return;
      }
      for (const c of gs[g]!.clips) walk(g + 1, [...chosen, c.id]);
    };
    walk(0, []);
    return count;
  }

  it('excludes forbidden pairs and counts exactly (inclusion–exclusion and enumeration paths)', () => {
    const rng = createRng(5);
    for (let trial = 0; trial < 60; trial++) {
      const sizes = Array.from({ length: 2 + rng.int(3) }, () => 1 + rng.int(4));
      const ruleCount = trial % 2 ? 1 + rng.int(5) : 17 + rng.int(6);
      const rules: ClipRule[] = Array.from({ length: ruleCount }, () => {
        const ga = rng.int(sizes.length);
        const gb = rng.int(sizes.length);
        return { a: `g${ga}c${rng.int(sizes[ga]!)}`, b: `g${gb}c${rng.int(sizes[gb]!)}` };
      });
      const expected = bruteManual(sizes, rules);
      const input = { mode: 'manual' as const, groups: groups(sizes), rules, seed: trial };
      if (expected === 0) {
        expect(() => planCombinations(input)).toThrow(/exclude every combination/);
        continue;
      }
      const possible = countPossible(input);
      expect(possible).toEqual({ value: BigInt(expected), exact: true });
      const plan = planCombinations(input);
      expect(plan.count).toBe(Math.min(expected, DEFAULT_COUNT_CAP));
      expect(new Set(plan.combinations.map((c) => keyOf(c.clipIds))).size).toBe(plan.count);
      for (const c of plan.combinations) {
        for (const r of rules) expect(r.a !== r.b && c.clipIds.includes(r.a) && c.clipIds.includes(r.b)).toBe(false);
      }
      expect(() => planCombinations({ ...input, count: expected + 1 })).toThrow(ValidationError);
    }
  });

  it('auto mode: never puts a forbidden pair together and counts exactly', () => {
    const rng = createRng(11);
    for (let trial = 0; trial < 40; trial++) {
      const n = 3 + rng.int(5);
      const k = 2 + rng.int(n - 2);
      const ruleCount = trial % 2 ? 1 + rng.int(4) : 17 + rng.int(4);
      const rules = Array.from({ length: ruleCount }, () => ({ a: `p${rng.int(n)}`, b: `p${rng.int(n)}` }));
      // Brute force over k-subsets × k! orders.
      let sets = 0;
      const walk = (start: number, chosen: number[]) => {
        if (chosen.length === k) {
          const ids = chosen.map((i) => `p${i}`);
          if (rules.every((r) => r.a === r.b || !(ids.includes(r.a) && ids.includes(r.b)))) sets++;
          return;
        }
        for (let i = start; i < n; i++) walk(i + 1, [...chosen, i]);
      };
      walk(0, []);
      const expected = BigInt(sets) * permutations(k, k);
      const input = { mode: 'auto' as const, clips: pool(n), clipsPerOutput: k, rules, seed: trial };
      if (expected === 0n) {
        expect(() => planCombinations(input)).toThrow(ValidationError);
        continue;
      }
      expect(countPossible(input)).toEqual({ value: expected, exact: true });
      const plan = planCombinations({ ...input, count: Number(expected) });
      expect(new Set(plan.combinations.map((c) => keyOf(c.clipIds))).size).toBe(Number(expected));
      for (const c of plan.combinations) {
        expect(new Set(c.clipIds).size).toBe(k);
        for (const r of rules) expect(r.a !== r.b && c.clipIds.includes(r.a) && c.clipIds.includes(r.b)).toBe(false);
      }
    }
  });

  it('ignores rules between clips of one group and unknown ids', () => {
    const input = {
      mode: 'manual' as const,
      groups: groups([2, 2]),
      rules: [
        { a: 'g0c0', b: 'g0c1' },
        { a: 'zzz', b: 'g1c0' },
      ],
    };
    expect(countPossible(input)).toEqual({ value: 4n, exact: true });
  });

  it('estimates (and says so) when the space is too big to count exactly with many rules', () => {
    const sizes = Array(10).fill(10);
    const rules = Array.from({ length: 20 }, (_, i) => ({
      a: `g0c${i % 10}`,
      b: `g1c${(i + Math.floor(i / 10)) % 10}`,
    }));
    const possible = countPossible({ mode: 'manual', groups: groups(sizes), rules });
    expect(possible.exact).toBe(false);
    expect(Number(possible.value)).toBeCloseTo(1e10 * 0.99 ** 20, -6);
    const plan = planCombinations({ mode: 'manual', groups: groups(sizes), rules, count: 300 });
    expect(plan.count).toBe(300);
  });
});

describe('summarisePlan', () => {
  it('sums clip durations and prices the outputs', () => {
    const input = {
      mode: 'manual' as const,
      groups: [
        { name: 'A', clips: [clip('a1', 1.5), clip('a2', 2.5)] },
        { name: 'B', clips: [clip('b1', 3)] },
      ],
      seed: 4,
    };
    const summary = summarisePlan(input);
    expect(summary).toMatchObject({ mode: 'manual', possible: 2, count: 2, seed: 4, creditCost: 2 });
    expect(summary.totalDuration).toBeCloseTo(1.5 + 3 + 2.5 + 3);
    expect(summary.combinations).toHaveLength(2);
    const auto = summarisePlan({ mode: 'auto', clips: pool(4), clipsPerOutput: 2, count: 12 });
    // Every clip is used equally (6 times) when all 12 orders are made.
    expect(auto.totalDuration).toBeCloseTo(6 * (0.5 + 0.6 + 0.7 + 0.8));
    expect(auto.seed).toBe(1);
  });
});
