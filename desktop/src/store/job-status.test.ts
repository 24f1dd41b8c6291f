import { describe, expect, it } from 'vitest';
import { deriveJobStatus } from './job-status.ts';

const counts = (c: Partial<Record<'pending' | 'processing' | 'completed' | 'failed' | 'cancelled', number>>) => ({
  pending: 0,
  processing: 0,
  completed: 0,
  failed: 0,
  cancelled: 0,
  processingProgress: 0,
  ...c,
});

describe('deriveJobStatus', () => {
  it('derives finished states with failures first, then cancellations', () => {
    expect(deriveJobStatus(counts({ completed: 3 }), false)).toBe('completed');
    expect(deriveJobStatus(counts({ completed: 2, cancelled: 1 }), false)).toBe('cancelled');
    expect(deriveJobStatus(counts({ completed: 1, failed: 1, cancelled: 1 }), false)).toBe('failed');
  });
  it('derives open states', () => {
    expect(deriveJobStatus(counts({ pending: 3 }), false)).toBe('queued');
    expect(deriveJobStatus(counts({ pending: 2, completed: 1 }), false)).toBe('running');
    expect(deriveJobStatus(counts({ pending: 2, processing: 1 }), true)).toBe('running');
    expect(deriveJobStatus(counts({ pending: 2, completed: 1 }), true)).toBe('paused');
  });
  it('keeps a finished job running while its outputs are still being checked (pre-flight, near-duplicates)', () => {
    expect(deriveJobStatus(counts({ completed: 3 }), false, true)).toBe('running');
    expect(deriveJobStatus(counts({ completed: 2, failed: 1 }), true, true)).toBe('running');
    expect(deriveJobStatus(counts({ pending: 3 }), false, true)).toBe('queued');
  });
});
