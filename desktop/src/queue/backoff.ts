export const MAX_ATTEMPTS = 3;
export const BACKOFF_BASE_MS = 2_000;

/** Delay before attempt `attempt + 1` after `attempt` failed: base, 2×base, 4×base, ... */
export function backoffDelay(attempt: number, baseMs = BACKOFF_BASE_MS): number {
  return baseMs * 2 ** Math.max(0, attempt - 1);
}

/** After a failure: try again (when) or give up. */
export function afterFailure(
  attempts: number,
  at: number,
  options: { maxAttempts?: number; baseMs?: number } = {},
): { retry: true; notBefore: number } | { retry: false } {
  if (attempts >= (options.maxAttempts ?? MAX_ATTEMPTS)) return { retry: false };
  return { retry: true, notBefore: at + backoffDelay(attempts, options.baseMs) };
}
