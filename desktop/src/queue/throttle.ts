/** Lets a key through at most once per `intervalMs`; `force` (final values, state changes) always passes. */
export class KeyedThrottle {
  private readonly last = new Map<string, number>();
  constructor(
    private readonly intervalMs: number,
    private readonly now: () => number = Date.now,
  ) {}

  pass(key: string, force = false): boolean {
    const at = this.now();
    const previous = this.last.get(key);
    if (!force && previous !== undefined && at - previous < this.intervalMs) return false;
    this.last.set(key, at);
    return true;
  }

  forget(key: string): void {
    this.last.delete(key);
  }
}

/**
 * Remaining seconds from the throughput measured since this process started watching the job, once at least one
 * output has finished in that time; null ("estimating…") before: early progress is mostly shared normalising and
 * says little about the rest (a first ETA of 51 min for a 3 min 48 s run).
 */
export class EtaTracker {
  private readonly starts = new Map<string, { at: number; progress: number; completed: number }>();
  constructor(private readonly now: () => number = Date.now) {}

  eta(key: string, progress: number, completed: number): number | null {
    const at = this.now();
    if (progress >= 1) return 0;
    const start = this.starts.get(key);
    if (!start) {
      this.starts.set(key, { at, progress, completed });
      return null;
    }
    const done = progress - start.progress;
    if (completed <= start.completed || done <= 0) return null;
    return Math.max(0, (((at - start.at) / 1000) * (1 - progress)) / done);
  }

  forget(key: string): void {
    this.starts.delete(key);
  }
}
