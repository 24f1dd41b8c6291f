import { CheckoutRequest, CheckoutResponse, WebhookResponse } from '@vmp/shared/http';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { userOrMachineGuard } from '../auth/guards.ts';
import { createCheckout, handleWebhook } from './service.ts';

export const paymentRoutes: FastifyPluginAsyncZod = async (app) => {
  const { ctx } = app;

  app.post(
    '/payments/checkout',
    // The account owner (access token) or one of their activated machines (signed): credits go to the account.
    { schema: { body: CheckoutRequest, response: { 200: CheckoutResponse } }, preValidation: userOrMachineGuard },
    async (req) => createCheckout(ctx, req.userId!, req.body.pack),
  );

  app.post('/payments/webhook', { schema: { response: { 200: WebhookResponse } } }, async (req) => {
    const signature = req.headers['stripe-signature'];
    const result = await handleWebhook(ctx, req.rawBody, typeof signature === 'string' ? signature : undefined);
    if (result.notGranted) {
      // Money arrived and no credits were granted: the line an operator searches for.
      req.log.warn({ outcome: result.outcome, ...result.notGranted }, 'stripe payment not granted');
    } else req.log.info({ outcome: result.outcome }, 'stripe webhook');
    return { received: result.received, duplicate: result.duplicate };
  });
};
