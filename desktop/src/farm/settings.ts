import { DEFAULT_FARM_QUEUE } from './payload.ts';

/**
 * Farm tunables from the environment (the same names on every machine; tests shorten them):
 * VMP_FARM_LOCK_MS: how long a batch stays claimed without a heartbeat (default 30 s, BullMQ's); a dead worker's
 * batch is picked up after about this long. VMP_FARM_STALLED_MS: how often workers look for such batches
 * (default 15 s). VMP_FARM_PREFIX: Redis key prefix (default "vmp"). VMP_FARM_ATTEMPTS / VMP_FARM_BACKOFF_MS:
 * tries per batch and the first retry delay, doubled each time (submitter; default 3 and 2 s). VMP_FARM_BATCH:
 * outputs per job (submitter). VMP_FARM_QUEUE: queue name. VMP_FARM_MAX_STALLED: times a dead worker's batch is
 * put back before it fails (default 3).
 */
export interface FarmSettings {
  lockMs: number;
  stalledMs: number;
  maxStalled: number;
  attempts: number;
  backoffMs: number;
  prefix: string;
  /** How long the submitter waits for Redis before giving up (VMP_FARM_CONNECT_MS, default 20 s). */
  connectMs: number;
  /** BullMQ queue name (VMP_FARM_QUEUE, default "vmp-render"): several farms can share one Redis. */
  queue: string;
  /** Outputs per job (VMP_FARM_BATCH), when set; otherwise the submitter's default. */
  batchSize?: number;
}

function positive(env: NodeJS.ProcessEnv, key: string, fallback: number): number {
  const raw = env[key];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isSafeInteger(value) || value < 1)
    throw new Error(`${key} must be a whole number above 0 (got "${raw}").`);
  return value;
}

export function farmSettings(env: NodeJS.ProcessEnv = process.env): FarmSettings {
  return {
    lockMs: positive(env, 'VMP_FARM_LOCK_MS', 30_000),
    stalledMs: positive(env, 'VMP_FARM_STALLED_MS', 15_000),
    maxStalled: positive(env, 'VMP_FARM_MAX_STALLED', 3),
    attempts: positive(env, 'VMP_FARM_ATTEMPTS', 3),
    backoffMs: positive(env, 'VMP_FARM_BACKOFF_MS', 2_000),
    prefix: env.VMP_FARM_PREFIX || 'vmp',
    connectMs: positive(env, 'VMP_FARM_CONNECT_MS', 20_000),
    queue: env.VMP_FARM_QUEUE || DEFAULT_FARM_QUEUE,
    ...(env.VMP_FARM_BATCH ? { batchSize: positive(env, 'VMP_FARM_BATCH', 1) } : {}),
  };
}
