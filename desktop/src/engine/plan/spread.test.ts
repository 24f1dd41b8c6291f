import { describe, expect, it } from 'vitest';
import { planCombinations } from './planner.ts';

const group = (name: string, n: number) => ({
  name,
  clips: Array.from({ length: n }, (_, i) => ({ id: `${name}${i}`, duration: 1 })),
});

describe('--count spreads over hooks first, then hook→body pairs', () => {
  it('24 outputs of 7 hooks × 7 bodies × 3 CTAs use 24 distinct hook→body pairs and every hook', () => {
    for (const seed of [1, 2, 3, 42]) {
      const { combinations } = planCombinations({
        mode: 'manual',
        seed,
        count: 24,
        groups: [group('hook', 7), group('body', 7), group('cta', 3)],
      });
      const pairs = new Set(combinations.map((c) => `${c.clipIds[0]}>${c.clipIds[1]}`));
      expect(pairs.size, `seed ${seed}`).toBe(24);
      expect(new Set(combinations.map((c) => c.clipIds[0])).size).toBe(7);
    }
  });

  it('5 outputs of 7 hooks show 5 different hooks', () => {
    const { combinations } = planCombinations({
      mode: 'manual',
      count: 5,
      groups: [group('hook', 7), group('body', 2), group('cta', 2)],
    });
    expect(new Set(combinations.map((c) => c.clipIds[0])).size).toBe(5);
  });
});
