import { describe, expect, it } from 'vitest';
import { isPartFile } from '../engine/render/part-file.ts';
import { afterFailure, backoffDelay } from './backoff.ts';
import { EtaTracker, KeyedThrottle } from './throttle.ts';

describe('backoff', () => {
  it('doubles the delay per attempt and stops after the last attempt', () => {
    expect([1, 2, 3].map((a) => backoffDelay(a, 1000))).toEqual([1000, 2000, 4000]);
    expect(afterFailure(1, 10_000, { baseMs: 1000 })).toEqual({ retry: true, notBefore: 11_000 });
    expect(afterFailure(2, 10_000, { baseMs: 1000 })).toEqual({ retry: true, notBefore: 12_000 });
    expect(afterFailure(3, 10_000, { baseMs: 1000 })).toEqual({ retry: false });
  });
});

describe('KeyedThrottle and EtaTracker', () => {
  it('lets a key through once per interval unless forced', () => {
    let now = 0;
    const throttle = new KeyedThrottle(100, () => now);
    expect(throttle.pass('a')).toBe(true);
    now = 50;
    expect(throttle.pass('a')).toBe(false);
    expect(throttle.pass('b')).toBe(true);
    expect(throttle.pass('a', true)).toBe(true);
    now = 149;
    expect(throttle.pass('a')).toBe(false);
    now = 150;
    expect(throttle.pass('a')).toBe(true);
  });

  it('estimates the remaining time from the rate since it started watching, once an output has finished', () => {
    let now = 0;
    const eta = new EtaTracker(() => now);
    expect(eta.eta('job', 0.2, 0)).toBeNull();
    now = 10_000;
    // Progress, but no output finished since: still estimating (defect 4: the first ETA said 51 min for 3 min 48 s).
    expect(eta.eta('job', 0.3, 0)).toBeNull();
    expect(eta.eta('job', 0.4, 1)).toBeCloseTo(30);
    expect(eta.eta('job', 1, 4)).toBe(0);
  });
});

describe('isPartFile', () => {
  it('recognises partial files only', () => {
    expect(isPartFile('a.mp4.part')).toBe(true);
    expect(isPartFile('a.part.mp4')).toBe(true);
    expect(isPartFile('apart.mp4')).toBe(false);
    expect(isPartFile('a.mp4')).toBe(false);
  });
});
