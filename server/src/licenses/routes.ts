import {
  ActivateRequest,
  ActivateResponse,
  ActivationParams,
  NotFoundError,
  ValidateRequest,
  ValidateResponse,
} from '@vmp/shared/http';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { userGuard } from '../auth/guards.ts';
import { perIp } from '../rate-limits.ts';
import { machineGuard, machineGuardAnyStatus, verifySignedRequest } from './machine-auth.ts';
import { activate, deactivate, findLicenseByKey, removeActivation, validate } from './service.ts';

export const licenseRoutes: FastifyPluginAsyncZod = async (app) => {
  const { ctx } = app;

  app.post(
    '/licenses/activate',
    {
      schema: { body: ActivateRequest, response: { 201: ActivateResponse } },
      preHandler: perIp(app, 'activate-ip', ctx.config.rateLimit.activatePerIp),
    },
    async (req, reply) => {
      const license = await findLicenseByKey(ctx, req.body.licenseKey);
      if (!license) throw new NotFoundError('This license key does not exist; check for typos.');
      // Signed with the license key itself: proves the caller holds it, and binds the body.
      await verifySignedRequest(req, req.body.licenseKey);
      reply.status(201);
      return activate(ctx, license.id, req.body);
    },
  );

  app.post(
    '/licenses/validate',
    { schema: { body: ValidateRequest, response: { 200: ValidateResponse } }, preValidation: machineGuard },
    async (req) => validate(ctx, req.machine!, req.body?.appVersion, req.body?.usage),
  );

  app.post('/licenses/deactivate', { preValidation: machineGuardAnyStatus }, async (req, reply) => {
    await deactivate(ctx, req.machine!.activationId);
    reply.status(204).send();
  });

  app.delete(
    '/licenses/:licenseId/activations/:activationId',
    { schema: { params: ActivationParams }, preValidation: userGuard },
    async (req, reply) => {
      await removeActivation(ctx, req.userId!, req.params.licenseId, req.params.activationId);
      reply.status(204).send();
    },
  );
};
