import { describe, expect, it } from 'vitest';
import { backoffDelay } from './backoff.ts';

describe('backoffDelay', () => {
  const opts = { base: 100, max: 1000, jitter: 0.5 };
  it('doubles from the base and caps at the max', () => {
    const mid = () => 0.5;
    expect([0, 1, 2, 3, 4, 10].map((a) => backoffDelay(a, opts, mid))).toEqual([100, 200, 400, 800, 1000, 1000]);
  });
  it('spreads by the jitter share either way', () => {
    expect(backoffDelay(2, opts, () => 0)).toBe(200);
    expect(backoffDelay(2, opts, () => 1)).toBe(600);
  });
});
