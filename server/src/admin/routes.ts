import {
  AdminCreateLicenseRequest,
  AdminGrantRequest,
  AdminGrantResponse,
  AdminLicense,
  AdminLicenseKeyParams,
  UnauthenticatedError,
} from '@vmp/shared/http';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { bearerToken } from '../auth/tokens.ts';
import { grantInTx } from '../credits/service.ts';
import { safeEqual } from '../lib/crypto.ts';
import { createLicense, findUserByEmail, setLicenseStatus } from '../licenses/service.ts';
import { perIp } from '../rate-limits.ts';

/** Operator endpoints; registered only when VMP_ADMIN_TOKEN is set. */
export const adminRoutes: FastifyPluginAsyncZod = async (app) => {
  const { ctx } = app;
  const token = ctx.config.adminToken!;
  // Limited per IP before the token is even looked at, so guessing it is slow; every refusal is logged.
  app.addHook('onRequest', perIp(app, 'admin-ip', ctx.config.rateLimit.adminPerIp));
  app.addHook('onRequest', async (req) => {
    const given = bearerToken(req.headers.authorization);
    if (!given || !safeEqual(given, token)) {
      req.log.warn({ ip: req.ip, url: req.url, given: given ? 'wrong' : 'none' }, 'admin: token refused');
      throw new UnauthenticatedError('The admin token is missing or wrong.');
    }
  });

  app.post(
    '/licenses',
    { schema: { body: AdminCreateLicenseRequest, response: { 201: AdminLicense } } },
    async (req, reply) => {
      const license = await createLicense(ctx, req.body);
      req.log.info({ licenseId: license.licenseId, email: license.email }, 'admin: license created');
      reply.status(201);
      return license;
    },
  );

  app.post(
    '/credits/grants',
    { schema: { body: AdminGrantRequest, response: { 201: AdminGrantResponse } } },
    async (req, reply) => {
      const user = await findUserByEmail(ctx, req.body.email);
      const { amount, reason } = req.body;
      const result = await ctx.db.transaction((tx) =>
        grantInTx(tx, {
          userId: user.id,
          amount,
          reason: `admin: ${reason}`,
          reference: null,
          idempotencyKey: `admin:${req.body.idempotencyKey ?? crypto.randomUUID()}`,
        }),
      );
      req.log.info({ userId: user.id, amount }, 'admin: credits granted');
      reply.status(201);
      return { userId: user.id, email: user.email, amount, ...result };
    },
  );

  for (const [action, status] of [
    ['suspend', 'suspended'],
    ['revoke', 'revoked'],
    ['reinstate', 'active'],
  ] as const) {
    app.post(
      `/licenses/:key/${action}`,
      { schema: { params: AdminLicenseKeyParams, response: { 200: AdminLicense } } },
      async (req) => {
        const license = await setLicenseStatus(ctx, req.params.key, status);
        req.log.info({ licenseId: license.licenseId, status }, 'admin: license status changed');
        return license;
      },
    );
  }
};
