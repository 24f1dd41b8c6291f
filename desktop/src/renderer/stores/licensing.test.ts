import { describe, expect, it } from 'vitest';
import { affordability } from './licensing.ts';

const credits = {
  balance: 5,
  held: 0,
  available: 3,
  pendingUsage: 2,
  online: true,
  lastSyncedAt: null,
  licensed: true,
  creditsPerOutput: 1,
};

describe('affordability', () => {
  it('says when a plan cannot be paid, and that unlicensed renders are free', () => {
    expect(affordability(3, credits)).toEqual({ kind: 'ok', available: 3 });
    expect(affordability(4, credits)).toEqual({ kind: 'short', available: 3 });
    expect(affordability(4, { ...credits, available: -2 })).toEqual({ kind: 'short', available: 0 });
    expect(affordability(4, { ...credits, licensed: false })).toEqual({ kind: 'free' });
    expect(affordability(4, { ...credits, available: null })).toEqual({ kind: 'unknown' });
  });
});
