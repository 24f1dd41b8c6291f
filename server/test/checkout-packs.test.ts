import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fakeStripe } from './fake-stripe.ts';
import { errorCode, machineRequest, startApp, userWithMachine } from './helpers.ts';

// Checkout looks packs up as own properties (issue 18, also low).
let app: FastifyInstance;
let stripe: Awaited<ReturnType<typeof fakeStripe>>;
beforeAll(async () => {
  stripe = await fakeStripe();
  app = await startApp({
    stripe: { secretKey: 'sk_test_vmp', host: '127.0.0.1', port: stripe.port, protocol: 'http' },
  });
});
afterAll(async () => {
  await app.close();
  await new Promise((r) => stripe.server.close(r));
});

describe('checkout', () => {
  it('refuses __proto__, constructor and toString as packs (404, no Stripe call)', async () => {
    const { machine } = await userWithMachine(app);
    const before = stripe.requests.length;
    for (const pack of ['__proto__', 'constructor', 'toString', 'hasOwnProperty']) {
      const res = await machineRequest(app, machine, { method: 'POST', url: '/v1/payments/checkout', body: { pack } });
      expect(res.statusCode, pack).toBe(404);
      expect(errorCode(res)).toBe('NOT_FOUND');
    }
    expect(stripe.requests.length).toBe(before);
  });
});
