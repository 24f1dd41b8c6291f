import cors from '@fastify/cors';
import helmet from '@fastify/helmet';
import { ValidationError } from '@vmp/shared/errors';
import { NotFoundError } from '@vmp/shared/http';
import Fastify, { type FastifyInstance, type FastifyReply, type FastifyServerOptions, LogController } from 'fastify';
import { serializerCompiler, validatorCompiler, type ZodTypeProvider } from 'fastify-type-provider-zod';
import { adminRoutes } from './admin/routes.ts';
import { authRoutes } from './auth/routes.ts';
import { loadConfig, type ServerConfig } from './config.ts';
import type { AppContext } from './context.ts';
import { creditRoutes } from './credits/routes.ts';
import { type Database, openDatabase } from './db/index.ts';
import { toAppError, writeClientError } from './http-errors.ts';
import { loadServerKeys } from './keys.ts';
import { LeaseReuse } from './licenses/lease-reuse.ts';
import { startNonceSweeper } from './licenses/nonces.ts';
import { licenseRoutes } from './licenses/routes.ts';
import { createMetrics } from './metrics.ts';
import { opsRoutes } from './ops-routes.ts';
import { paymentRoutes } from './payments/routes.ts';
import { connectRedis, registerRateLimits } from './rate-limits.ts';
import { projectRoutes } from './sync/routes.ts';

export interface BuildAppOptions {
  config?: ServerConfig;
  /** An already open database; otherwise one is opened from the config and closed with the app. */
  database?: Database;
  logger?: FastifyServerOptions['logger'];
  /** Clock of lease signing and reuse, ms (tests move it forward); request timestamps and expiry use real time. */
  now?: () => number;
}

/** Builds the whole server; `main.ts` listens, tests call `inject` or listen on 127.0.0.1. */
export async function buildApp(options: BuildAppOptions = {}): Promise<FastifyInstance> {
  const config = options.config ?? loadConfig();
  const redis = await connectRedis(config);
  const ownsDatabase = !options.database;
  let database: Database;
  try {
    database =
      options.database ??
      (await openDatabase({ databaseUrl: config.databaseUrl, dataDir: config.dataDir, poolSize: config.dbPoolSize }));
  } catch (error) {
    redis?.disconnect();
    throw error;
  }
  const ctx: AppContext = {
    config,
    database,
    db: database.db,
    keys: await loadServerKeys(database.db),
    metrics: createMetrics(),
    leases: new LeaseReuse({ maxAgeSeconds: config.leaseReuseSeconds, now: options.now }),
  };

  const app = Fastify({
    logger: options.logger ?? { level: config.logLevel },
    bodyLimit: config.bodyLimit,
    trustProxy: config.trustProxy,
    // Router errors (a bad percent-encoding, an over-long path parameter) in the one error shape too.
    frameworkErrors: (error, _req, reply) => {
      const appError = toAppError(error, config.bodyLimit);
      (reply as unknown as FastifyReply).status(appError.status).send({ error: appError.toJSON() });
    },
    // Requests too broken for HTTP parsing get the error shape as well, written on the raw socket.
    clientErrorHandler: writeClientError,
    // Per-request lines only at debug: at 1,000 req/s they cost more than the request itself.
    logController: new LogController({
      disableRequestLogging: config.logLevel !== 'debug' && config.logLevel !== 'trace',
    }),
  }).withTypeProvider<ZodTypeProvider>();
  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);
  app.decorate('ctx', ctx);
  const stopSweeper = startNonceSweeper(database.nonceDb, (error) =>
    app.log.warn({ err: error }, 'expired nonce sweep failed'),
  );
  app.addHook('onClose', async () => {
    stopSweeper();
    if (ownsDatabase) await database.close();
  });

  // JSON parser that keeps the exact bytes: request signatures and Stripe webhooks are computed over them.
  app.removeAllContentTypeParsers();
  app.addContentTypeParser('application/json', { parseAs: 'buffer' }, (req, body, done) => {
    const raw = body as Buffer;
    req.rawBody = raw;
    if (raw.length === 0) return done(null, undefined);
    try {
      done(null, JSON.parse(raw.toString('utf8')));
    } catch {
      done(new ValidationError('The request body is not valid JSON.'), undefined);
    }
  });

  app.setErrorHandler((error, req, reply) => {
    const appError = toAppError(error, config.bodyLimit);
    if (appError.status >= 500) req.log.error({ err: error }, 'request failed');
    reply.status(appError.status).send({ error: appError.toJSON() });
  });
  app.setNotFoundHandler((req, reply) => {
    const e = new NotFoundError(`No route ${req.method} ${req.url.split('?')[0]}.`);
    reply.status(404).send({ error: e.toJSON() });
  });

  app.addHook('onResponse', async (req, reply) => {
    const route = req.routeOptions.url ?? 'unmatched';
    ctx.metrics.requests.inc({ method: req.method, route, status: String(reply.statusCode) });
    ctx.metrics.latency.observe({ method: req.method, route }, reply.elapsedTime / 1000);
  });

  await app.register(helmet, { contentSecurityPolicy: false });
  await app.register(cors, { origin: config.corsOrigins.length ? config.corsOrigins : false });
  await registerRateLimits(app, redis);

  await app.register(opsRoutes);
  await app.register(authRoutes, { prefix: '/v1' });
  await app.register(licenseRoutes, { prefix: '/v1' });
  await app.register(creditRoutes, { prefix: '/v1' });
  await app.register(paymentRoutes, { prefix: '/v1' });
  await app.register(projectRoutes, { prefix: '/v1' });
  if (config.adminToken) await app.register(adminRoutes, { prefix: '/v1/admin' });
  return app;
}
