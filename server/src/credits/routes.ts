import {
  CommitRequest,
  CreditsResponse,
  Reservation,
  ReservationParams,
  ReservationRequest,
  UsageRequest,
  UsageResponse,
} from '@vmp/shared/http';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { userOrMachineGuard } from '../auth/guards.ts';
import { assertLicenseUsable, machineGuard, machineGuardAnyStatus, usableUntil } from '../licenses/machine-auth.ts';
import { applyUsage, commit, creditOverview, release, reserve } from './service.ts';

export const creditRoutes: FastifyPluginAsyncZod = async (app) => {
  const { ctx } = app;

  app.get(
    '/credits',
    { schema: { response: { 200: CreditsResponse } }, preValidation: userOrMachineGuard },
    async (req) => creditOverview(ctx.db, req.userId!, 20, req.machine?.activationId),
  );

  app.post(
    '/credits/reservations',
    { schema: { body: ReservationRequest, response: { 201: Reservation } }, preValidation: machineGuard },
    async (req, reply) => {
      reply.status(201);
      return reserve(ctx, req.userId!, req.body.jobId, req.body.amount, req.machine?.activationId);
    },
  );

  app.post(
    '/credits/reservations/:id/commit',
    {
      schema: { params: ReservationParams, body: CommitRequest, response: { 200: Reservation } },
      preValidation: machineGuard,
    },
    async (req) => commit(ctx, req.userId!, req.params.id, req.body.used),
  );

  app.post(
    '/credits/reservations/:id/release',
    { schema: { params: ReservationParams, response: { 200: Reservation } }, preValidation: machineGuard },
    async (req) => release(ctx, req.userId!, req.params.id),
  );

  app.post(
    '/credits/usage',
    { schema: { body: UsageRequest, response: { 200: UsageResponse } }, preValidation: machineGuardAnyStatus },
    async (req) => {
      // A suspended, revoked or expired license still pays for what it rendered offline before that.
      const cutoff = await usableUntil(ctx, req.machine!);
      const entries = cutoff ? req.body.entries.filter((e) => Date.parse(e.at) < cutoff.getTime()) : req.body.entries;
      if (entries.length === 0) assertLicenseUsable(req.machine!.license);
      const refused = req.body.entries.filter((e) => !entries.includes(e)).map((e) => e.id);
      const result = await applyUsage(ctx, req.userId!, entries, req.machine?.activationId);
      return refused.length ? { ...result, refused } : result;
    },
  );
};
