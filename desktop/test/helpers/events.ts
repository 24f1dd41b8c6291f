import type { ApiEvent } from '@vmp/shared/api';

/** Records events and lets a test wait for one matching a predicate (no sleeps: the wait ends on the event). */
export class EventLog {
  readonly events: ApiEvent[] = [];
  private waiters: { match: (e: ApiEvent) => boolean; resolve: (e: ApiEvent) => void }[] = [];

  readonly push = (event: ApiEvent): void => {
    this.events.push(event);
    this.waiters = this.waiters.filter((w) => {
      if (!w.match(event)) return true;
      w.resolve(event);
      return false;
    });
  };

  /** Next event (after now) matching `match`. */
  next<T extends ApiEvent = ApiEvent>(match: (e: ApiEvent) => boolean): Promise<T> {
    return new Promise((resolve) => this.waiters.push({ match, resolve: resolve as (e: ApiEvent) => void }));
  }

  /** Already recorded, or the next one. */
  some<T extends ApiEvent = ApiEvent>(match: (e: ApiEvent) => boolean): Promise<T> {
    const seen = this.events.find(match);
    return seen ? Promise.resolve(seen as T) : this.next<T>(match);
  }
}

export interface Deferred<T = void> {
  promise: Promise<T>;
  resolve: (value: T) => void;
  reject: (error: unknown) => void;
}

export function deferred<T = void>(): Deferred<T> {
  let resolve!: (value: T) => void;
  let reject!: (error: unknown) => void;
  const promise = new Promise<T>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
}
