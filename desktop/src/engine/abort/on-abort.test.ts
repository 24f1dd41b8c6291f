import { getEventListeners } from 'node:events';
import { describe, expect, it } from 'vitest';
import { onAbort } from './on-abort.ts';

describe('onAbort', () => {
  it('puts one listener on the signal for any number of waiters, and removes it when the last leaves', () => {
    const controller = new AbortController();
    const stops = Array.from({ length: 40 }, () => onAbort(controller.signal, () => {}));
    expect(getEventListeners(controller.signal, 'abort')).toHaveLength(1);
    for (const stop of stops.slice(1)) stop();
    expect(getEventListeners(controller.signal, 'abort')).toHaveLength(1);
    stops[0]!();
    stops[0]!();
    expect(getEventListeners(controller.signal, 'abort')).toHaveLength(0);
  });

  it('calls every waiter still watching when the signal aborts, and none that left', () => {
    const controller = new AbortController();
    const called: number[] = [];
    const stops = [0, 1, 2].map((k) => onAbort(controller.signal, () => called.push(k)));
    stops[1]!();
    controller.abort();
    expect(called).toEqual([0, 2]);
    expect(getEventListeners(controller.signal, 'abort')).toHaveLength(0);
    // Watching again after the abort is allowed (the caller checks `aborted` first, as before).
    const stop = onAbort(controller.signal, () => {});
    stop();
    expect(getEventListeners(controller.signal, 'abort')).toHaveLength(0);
  });
});
