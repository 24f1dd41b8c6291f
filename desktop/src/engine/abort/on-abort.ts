/**
 * One 'abort' listener per signal, however many waiters watch it. A render batch hands its one signal to every
 * output × clip waiting for an intermediate and to every FFmpeg job queued in the pool; a listener each put dozens
 * on the signal at once (Node's MaxListenersExceededWarning in a 16-output mix). Here they share one, which is
 * removed as soon as the last waiter leaves.
 */
const watchers = new WeakMap<AbortSignal, { callbacks: Set<() => void>; listener: () => void }>();

/**
 * Calls `callback` once if `signal` aborts. Returns the function that stops watching (call it in every
 * settled path; calling it twice is harmless). No signal: nothing to watch.
 */
export function onAbort(signal: AbortSignal | undefined, callback: () => void): () => void {
  if (!signal) return () => {};
  let entry = watchers.get(signal);
  if (!entry) {
    const callbacks = new Set<() => void>();
    const listener = () => {
      watchers.delete(signal);
      for (const cb of [...callbacks]) cb();
    };
    entry = { callbacks, listener };
    watchers.set(signal, entry);
    signal.addEventListener('abort', listener, { once: true });
  }
  const own = entry;
  const cb = () => callback();
  own.callbacks.add(cb);
  return () => {
    if (!own.callbacks.delete(cb) || own.callbacks.size > 0) return;
    if (watchers.get(signal) === own) watchers.delete(signal);
    signal.removeEventListener('abort', own.listener);
  };
}
