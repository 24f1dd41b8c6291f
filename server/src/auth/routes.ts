import {
  AuthResponse,
  Credentials,
  MeResponse,
  normalizeEmail,
  RefreshRequest,
  UnauthenticatedError,
} from '@vmp/shared/http';
import { eq } from 'drizzle-orm';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { creditSummary } from '../credits/service.ts';
import { users } from '../db/schema.ts';
import { licensesOfUser } from '../licenses/service.ts';
import { perIp, perKey } from '../rate-limits.ts';
import { userGuard } from './guards.ts';
import { login, logout, refresh, register } from './service.ts';

export const authRoutes: FastifyPluginAsyncZod = async (app) => {
  const { ctx } = app;
  const { rateLimit } = ctx.config;
  const authPerIp = perIp(app, 'auth-ip', rateLimit.authPerIp);
  // Per email too, so one account cannot be brute-forced from many addresses. (The plugin runs only
  // one limiter hook per request, hence a check of its own.)
  const perEmail = perKey(app, 'login-email', rateLimit.loginPerEmail, (req) =>
    normalizeEmail((req.body as { email: string }).email),
  );

  app.post(
    '/auth/register',
    { schema: { body: Credentials, response: { 201: AuthResponse } }, preHandler: authPerIp },
    async (req, reply) => {
      reply.status(201);
      return register(ctx, req.body.email, req.body.password);
    },
  );

  app.post(
    '/auth/login',
    { schema: { body: Credentials, response: { 200: AuthResponse } }, preHandler: [authPerIp, perEmail] },
    async (req) => login(ctx, req.body.email, req.body.password),
  );

  app.post(
    '/auth/refresh',
    { schema: { body: RefreshRequest, response: { 200: AuthResponse } }, preHandler: authPerIp },
    async (req) => refresh(ctx, req.body.refreshToken),
  );

  app.post('/auth/logout', { schema: { body: RefreshRequest } }, async (req, reply) => {
    await logout(ctx, req.body.refreshToken);
    reply.status(204).send();
  });

  app.get('/me', { schema: { response: { 200: MeResponse } }, preValidation: userGuard }, async (req) => {
    const userId = req.userId!;
    const [user] = await ctx.db.select({ id: users.id, email: users.email }).from(users).where(eq(users.id, userId));
    if (!user) throw new UnauthenticatedError('This account no longer exists.');
    const [licenses, credits] = await Promise.all([licensesOfUser(ctx, userId), creditSummary(ctx.db, userId)]);
    return { user, licenses, credits };
  });
};
