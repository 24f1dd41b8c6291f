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

/** Remaining seconds from the progress made since this process started watching the job. */
export class EtaTracker {
  private readonly starts = new Map<string, { at: number; progress: number }>();
  constructor(private readonly now: () => number = Date.now) {}

  eta(key: string, progress: number): number | null {
    const at = this.now();
    const start = this.starts.get(key);
    if (!start) {
      this.starts.set(key, { at, progress });
      return null;
    }
    const done = progress - start.progress;
    if (done <= 0 || progress >= 1) return progress >= 1 ? 0 : null;
    return Math.max(0, (((at - start.at) / 1000) * (1 - progress)) / done);
  }

  forget(key: string): void {
    this.starts.delete(key);
  }
}
