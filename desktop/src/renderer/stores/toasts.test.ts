import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { attempt, toast, useToasts } from './toasts.ts';

// Fake timers: the lifetimes are checked by advancing the clock, not by waiting.
beforeEach(() => {
  vi.useFakeTimers();
  useToasts.setState({ toasts: [] });
});
afterEach(() => vi.useRealTimers());

describe('toasts', () => {
  it('expire: info first, then ones with an action, errors last', () => {
    toast.info('Saved');
    toast.error(new Error('a.mp4 is not a video file'));
    toast.info('Deleted group', { label: 'Undo', run: () => {} });
    vi.advanceTimersByTime(3000);
    expect(useToasts.getState().toasts.map((t) => t.message)).toEqual(['a.mp4 is not a video file', 'Deleted group']);
    vi.advanceTimersByTime(3000);
    expect(useToasts.getState().toasts.map((t) => t.message)).toEqual(['a.mp4 is not a video file']);
    vi.advanceTimersByTime(3000);
    expect(useToasts.getState().toasts).toEqual([]);
  });

  it('replace an identical message and keep at most three', () => {
    toast.info('same');
    toast.info('same');
    expect(useToasts.getState().toasts).toHaveLength(1);
    for (let i = 0; i < 7; i++) toast.info(`n${i}`);
    expect(useToasts.getState().toasts.map((t) => t.message)).toEqual(['n4', 'n5', 'n6']);
  });

  it('attempt() turns a thrown error into an error toast with its message', async () => {
    const result = await attempt(() => Promise.reject(new Error('name: must not be empty')));
    expect(result).toBeUndefined();
    expect(useToasts.getState().toasts[0]).toMatchObject({ kind: 'error', message: 'name: must not be empty' });
    expect(await attempt(() => Promise.resolve(42))).toBe(42);
  });
});
