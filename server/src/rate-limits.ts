import rateLimit from '@fastify/rate-limit';
import { RateLimitedError } from '@vmp/shared/http';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { Redis } from 'ioredis';
import type { ServerConfig } from './config.ts';

/**
 * Connects to REDIS_URL when set (before anything else is opened, so a wrong URL stops the start cleanly).
 * Commands fail fast while Redis is away instead of queueing requests behind it.
 */
export async function connectRedis(config: ServerConfig): Promise<Redis | undefined> {
  if (!config.redisUrl) return undefined;
  const redis = new Redis(config.redisUrl, {
    lazyConnect: true,
    enableOfflineQueue: false,
    maxRetriesPerRequest: 1,
    connectTimeout: 2000,
  });
  const startupErrors: Error[] = [];
  const collect = (error: Error) => startupErrors.push(error);
  redis.on('error', collect);
  try {
    await redis.connect();
  } catch (error) {
    redis.disconnect();
    throw new Error(`Redis (REDIS_URL) is unreachable: ${(error as Error).message}`);
  } finally {
    redis.off('error', collect);
  }
  return redis;
}

/**
 * Registers @fastify/rate-limit: counters in Redis when one is given (shared by every server process behind a
 * load balancer), else in this process's memory. Limits are created per route with `perIp`/`perKey`.
 */
export async function registerRateLimits(app: FastifyInstance, redis: Redis | undefined): Promise<void> {
  if (redis) {
    let lastWarning = 0;
    redis.on('error', (error: Error) => {
      if (Date.now() - lastWarning < 10_000) return;
      lastWarning = Date.now();
      app.log.warn({ err: error }, 'Redis (REDIS_URL) unavailable: rate limits are not enforced until it is back');
    });
    app.addHook('onClose', async () => {
      await redis.quit().catch(() => redis.disconnect());
    });
  }
  await app.register(rateLimit, {
    global: false,
    ...(redis ? { redis, nameSpace: app.ctx.config.redisPrefix } : {}),
    // A Redis outage lets requests through (logged above) rather than failing every login.
    skipOnError: Boolean(redis),
    errorResponseBuilder: (_req, context) => new RateLimitedError(Math.ceil(context.ttl / 1000)),
  });
}

/**
 * A preHandler/onRequest hook allowing `max` requests per client IP per window. `name` keeps the counters of
 * different limits apart (the Redis store would otherwise share one counter per IP between them).
 */
export function perIp(app: FastifyInstance, name: string, max: number) {
  return app.rateLimit({
    max,
    timeWindow: app.ctx.config.rateLimit.windowMs,
    keyGenerator: (req) => `${name}:${req.ip}`,
  });
}

/** A check to call from a handler or hook: throws RATE_LIMITED past `max` requests per key per window. */
export function perKey(app: FastifyInstance, name: string, max: number, key: (req: FastifyRequest) => string) {
  const limit = app.createRateLimit({
    max,
    timeWindow: app.ctx.config.rateLimit.windowMs,
    keyGenerator: (req) => `${name}:${key(req)}`,
  });
  return async (req: FastifyRequest) => {
    const result = await limit(req);
    if (!result.isAllowed && result.isExceeded) throw new RateLimitedError(result.ttlInSeconds);
  };
}
