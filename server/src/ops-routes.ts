import { UnauthenticatedError } from '@vmp/shared/http';
import type { FastifyPluginAsync } from 'fastify';
import { bearerToken } from './auth/tokens.ts';
import { safeEqual } from './lib/crypto.ts';

/** Liveness, readiness, Prometheus metrics and the lease keys. */
export const opsRoutes: FastifyPluginAsync = async (app) => {
  const { ctx } = app;

  app.get('/health', async () => ({ status: 'ok' }));

  app.get('/ready', async (req, reply) => {
    try {
      await ctx.database.ping();
      return { status: 'ready', database: ctx.database.kind };
    } catch (error) {
      // The cause goes to the log only: driver messages carry host names, addresses and ports.
      req.log.warn({ err: error }, 'readiness check: database unreachable');
      reply.status(503);
      return { error: { code: 'SERVICE_UNAVAILABLE', message: 'The database is unreachable; see the server log.' } };
    }
  });

  app.get('/metrics', async (req, reply) => {
    const token = ctx.config.metricsToken;
    if (token) {
      const given = bearerToken(req.headers.authorization);
      if (!given || !safeEqual(given, token)) {
        throw new UnauthenticatedError('GET /metrics needs Authorization: Bearer <METRICS_TOKEN>.');
      }
    }
    reply.header('content-type', ctx.metrics.registry.contentType);
    return ctx.metrics.registry.metrics();
  });

  app.get('/.well-known/jwks.json', async (_req, reply) => {
    reply.header('cache-control', 'public, max-age=300');
    return { keys: [ctx.keys.leasePublicJwk] };
  });
};
