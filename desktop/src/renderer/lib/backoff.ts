export interface BackoffOptions {
  /** First delay, ms. */
  base: number;
  /** Ceiling, ms. */
  max: number;
  /** 0–1: share of the delay that is randomised, so many tabs do not reconnect in lockstep. */
  jitter: number;
}

export const DEFAULT_BACKOFF: BackoffOptions = { base: 250, max: 5000, jitter: 0.2 };

/** Delay before reconnect attempt `attempt` (0-based): exponential, capped, with jitter. */
export function backoffDelay(attempt: number, options: BackoffOptions = DEFAULT_BACKOFF, random = Math.random): number {
  const exp = Math.min(options.max, options.base * 2 ** Math.max(0, attempt));
  const spread = exp * options.jitter;
  return Math.round(exp - spread + spread * 2 * random());
}
