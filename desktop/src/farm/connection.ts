import { readFileSync } from 'node:fs';
import { ValidationError } from '@vmp/shared/errors';
import type { RedisOptions } from 'bullmq';

/** A farm URL that cannot be used; names the flag and shows the URL without its password. */
export class FarmUrlError extends ValidationError {}

/**
 * BullMQ connection options from a farm URL: `redis://[user:password@]host[:port][/db]` or `rediss://…` (TLS,
 * server certificate checked against Node's CAs, plus the PEM file in VMP_FARM_TLS_CA when set).
 * Commands wait through a Redis restart instead of failing (maxRetriesPerRequest null, as BullMQ workers need).
 */
export function farmConnection(url: string, env: NodeJS.ProcessEnv = process.env, label = '--farm'): RedisOptions {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new FarmUrlError(
      `${label} must be a Redis URL such as redis://host:6379 or rediss://host:6380 (got "${redactUrl(url)}").`,
    );
  }
  if (parsed.protocol !== 'redis:' && parsed.protocol !== 'rediss:') {
    throw new FarmUrlError(`${label} must start with redis:// or rediss:// (got "${redactUrl(url)}").`);
  }
  if (!parsed.hostname) throw new FarmUrlError(`${label} "${redactUrl(url)}" names no host.`);
  const db = parsed.pathname.replace(/^\//, '');
  if (db && !/^\d+$/.test(db))
    throw new FarmUrlError(`${label} "${redactUrl(url)}": the path must be a database number.`);
  const host = parsed.hostname.replace(/^\[(.*)\]$/, '$1');
  const tls = parsed.protocol === 'rediss:';
  return {
    host,
    port: parsed.port ? Number(parsed.port) : 6379,
    ...(parsed.username ? { username: decodeURIComponent(parsed.username) } : {}),
    ...(parsed.password ? { password: decodeURIComponent(parsed.password) } : {}),
    ...(db ? { db: Number(db) } : {}),
    ...(tls
      ? { tls: { servername: host, ...(env.VMP_FARM_TLS_CA ? { ca: readFileSync(env.VMP_FARM_TLS_CA) } : {}) } }
      : {}),
    maxRetriesPerRequest: null,
    // Reconnect for ever, at most every 2 s: a farm outlives a Redis restart.
    retryStrategy: (times: number) => Math.min(2000, 100 * times),
  };
}

/** The URL itself once it is usable (else FarmUrlError naming `label` and the problem): for checking flags early. */
export function checkFarmUrl(url: string, label = '--farm'): string {
  farmConnection(url, {}, label);
  return url;
}

/** The URL without its password, for messages and logs. */
export function redactUrl(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password) parsed.password = '***';
    return parsed.toString();
  } catch {
    return url.replace(/\/\/.*@/, '//***@');
  }
}
