import type { FastifyInstance } from 'fastify';
import Stripe from 'stripe';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fakeStripe } from './fake-stripe.ts';
import { bearer, errorCode, machineRequest, registerUser, startAppWithLog, userWithMachine } from './helpers.ts';

const WEBHOOK_SECRET = 'whsec_test_secret_for_vmp';
const stripe = new Stripe('sk_test_unused');

function event(id: string, type: string, object: Record<string, unknown>) {
  return JSON.stringify({ id, object: 'event', type, api_version: '2025-01-01', created: 1, data: { object } });
}

function webhook(app: FastifyInstance, payload: string, secret = WEBHOOK_SECRET) {
  const signature = stripe.webhooks.generateTestHeaderString({ payload, secret });
  return app.inject({
    method: 'POST',
    url: '/v1/payments/webhook',
    headers: { 'content-type': 'application/json; charset=utf-8', 'stripe-signature': signature },
    payload,
  });
}

let app: FastifyInstance;
let lines: Record<string, unknown>[];
let fake: Awaited<ReturnType<typeof fakeStripe>>;
beforeAll(async () => {
  fake = await fakeStripe();
  ({ app, lines } = await startAppWithLog({
    stripe: {
      secretKey: 'sk_test_vmp',
      webhookSecret: WEBHOOK_SECRET,
      host: '127.0.0.1',
      port: fake.port,
      protocol: 'http',
    },
    packs: {
      starter: { name: 'Starter: 100 credits', credits: 100, unitAmount: 900, currency: 'usd' },
      broken: { name: 'Broken', credits: 1, unitAmount: 100, currency: 'usd' },
    },
  }));
});
afterAll(async () => {
  await app.close();
  await new Promise((r) => fake.server.close(r));
});

async function balance(user: { accessToken: string }) {
  return (await app.inject({ method: 'GET', url: '/v1/credits', headers: bearer(user) })).json().balance as number;
}

describe('checkout', () => {
  it('creates a Stripe Checkout Session for a pack through the SDK', async () => {
    const user = await registerUser(app);
    const res = await app.inject({
      method: 'POST',
      url: '/v1/payments/checkout',
      headers: bearer(user),
      payload: { pack: 'starter' },
    });
    expect(res.statusCode).toBe(200);
    expect(res.json().url).toMatch(/^https:\/\/checkout\.stripe\.com\/c\/pay\/cs_test_/);
    const sent = fake.requests.at(-1)!;
    expect(sent.url).toBe('/v1/checkout/sessions');
    expect(sent.authorization).toBe('Bearer sk_test_vmp');
    expect(sent.form.get('client_reference_id')).toBe(user.user.id);
    expect(sent.form.get('metadata[pack]')).toBe('starter');
    expect(sent.form.get('mode')).toBe('payment');
    expect(sent.form.get('line_items[0][price_data][unit_amount]')).toBe('900');
  });

  it('sells to a signed machine request too, for the license owner (the desktop app has no user token)', async () => {
    const { user, machine } = await userWithMachine(app);
    const res = await machineRequest(app, machine, {
      method: 'POST',
      url: '/v1/payments/checkout',
      body: { pack: 'starter' },
    });
    expect(res.statusCode).toBe(200);
    expect(res.json().url).toMatch(/^https:\/\/checkout\.stripe\.com\/c\/pay\/cs_test_/);
    // The webhook credits client_reference_id: the account that owns the license.
    expect(fake.requests.at(-1)!.form.get('client_reference_id')).toBe(user.user.id);
    // A machine request with a bad signature is refused, not sold to anyone.
    const forged = await machineRequest(
      app,
      { ...machine, machineSecret: 'not-the-secret' },
      {
        method: 'POST',
        url: '/v1/payments/checkout',
        body: { pack: 'starter' },
      },
    );
    expect(forged.statusCode).toBe(401);
    expect(errorCode(forged)).toBe('BAD_SIGNATURE');
  });

  it('refuses unknown packs and anonymous callers', async () => {
    const user = await registerUser(app);
    const unknown = await app.inject({
      method: 'POST',
      url: '/v1/payments/checkout',
      headers: bearer(user),
      payload: { pack: 'mega' },
    });
    expect(errorCode(unknown)).toBe('NOT_FOUND');
    const anonymous = await app.inject({ method: 'POST', url: '/v1/payments/checkout', payload: { pack: 'starter' } });
    expect(anonymous.statusCode).toBe(401);
  });

  it('answers 502 when Stripe fails', async () => {
    const user = await registerUser(app);
    const res = await app.inject({
      method: 'POST',
      url: '/v1/payments/checkout',
      headers: bearer(user),
      payload: { pack: 'broken' },
    });
    expect(res.statusCode).toBe(502);
    expect(res.json().error).toMatchObject({ code: 'PAYMENT_PROVIDER_ERROR' });
    expect(res.json().error.message).toMatch(/bad day/);
  });

  it('answers 503 "purchases are unavailable" when Stripe is not configured, and logs why for the operator', async () => {
    const { app: bare, lines } = await startAppWithLog({ stripe: {} });
    try {
      const user = await registerUser(bare);
      const res = await bare.inject({
        method: 'POST',
        url: '/v1/payments/checkout',
        headers: bearer(user),
        payload: { pack: 'starter' },
      });
      expect(res.statusCode).toBe(503);
      expect(res.json().error.message).toBe('Purchases are unavailable right now. Please try again later.');
      expect(res.body).not.toContain('STRIPE');
      const logged = lines.find((l) => l.msg === 'request failed');
      expect(logged?.err).toMatchObject({ message: expect.stringMatching(/STRIPE_SECRET_KEY is not set/) });
    } finally {
      await bare.close();
    }
  });
});

describe('webhook', () => {
  it('credits a paid checkout once even when the event is delivered twice, and refunds take it back', async () => {
    const user = await registerUser(app);
    const session = {
      id: `cs_test_paid_${user.user.id}`,
      object: 'checkout.session',
      client_reference_id: user.user.id,
      metadata: { pack: 'starter' },
      payment_status: 'paid',
      payment_intent: `pi_${user.user.id}`,
      amount_total: 900,
      currency: 'usd',
    };
    const payload = event(`evt_paid_${user.user.id}`, 'checkout.session.completed', session);
    const deliveries = await Promise.all([webhook(app, payload), webhook(app, payload)]);
    expect(deliveries.map((d) => d.statusCode)).toEqual([200, 200]);
    expect(deliveries.map((d) => d.json().duplicate).sort()).toEqual([false, true]);
    expect((await webhook(app, payload)).json()).toEqual({ received: true, duplicate: true });
    expect(await balance(user)).toBe(100);

    // Another event for the same session (Stripe may resend under a new id) must not credit again.
    await webhook(app, event(`evt_paid_again_${user.user.id}`, 'checkout.session.completed', session));
    expect(await balance(user)).toBe(100);

    const charge = { id: `ch_${user.user.id}`, object: 'charge', payment_intent: session.payment_intent, amount: 900 };
    await webhook(
      app,
      event(`evt_refund_half_${user.user.id}`, 'charge.refunded', { ...charge, amount_refunded: 450 }),
    );
    expect(await balance(user)).toBe(50);
    const full = event(`evt_refund_full_${user.user.id}`, 'charge.refunded', { ...charge, amount_refunded: 900 });
    await webhook(app, full);
    await webhook(app, full);
    expect(await balance(user)).toBe(0);
  });

  it('ignores unpaid sessions', async () => {
    const user = await registerUser(app);
    const payload = event(`evt_unpaid_${user.user.id}`, 'checkout.session.completed', {
      id: `cs_unpaid_${user.user.id}`,
      client_reference_id: user.user.id,
      metadata: { pack: 'starter' },
      payment_status: 'unpaid',
    });
    expect((await webhook(app, payload)).statusCode).toBe(200);
    expect(await balance(user)).toBe(0);
  });

  it('refuses a bad signature with 400 and changes nothing', async () => {
    const user = await registerUser(app);
    const payload = event(`evt_forged_${user.user.id}`, 'checkout.session.completed', {
      id: `cs_forged_${user.user.id}`,
      client_reference_id: user.user.id,
      metadata: { pack: 'starter' },
      payment_status: 'paid',
      amount_total: 900,
      currency: 'usd',
    });
    const forged = await webhook(app, payload, 'whsec_wrong');
    expect(forged.statusCode).toBe(400);
    const unsigned = await app.inject({
      method: 'POST',
      url: '/v1/payments/webhook',
      headers: { 'content-type': 'application/json' },
      payload,
    });
    expect(unsigned.statusCode).toBe(400);
    // Signed correctly but the body altered afterwards.
    const signature = stripe.webhooks.generateTestHeaderString({ payload, secret: WEBHOOK_SECRET });
    const altered = await app.inject({
      method: 'POST',
      url: '/v1/payments/webhook',
      headers: { 'content-type': 'application/json', 'stripe-signature': signature },
      payload: payload.replace('starter', 'starter '),
    });
    expect(altered.statusCode).toBe(400);
    expect(await balance(user)).toBe(0);
    // The event id was not recorded: the genuine delivery still counts.
    expect((await webhook(app, payload)).json().duplicate).toBe(false);
    expect(await balance(user)).toBe(100);
  });
});

/** A paid Checkout Session of the starter pack (100 credits for 9.00 USD) and its charge. */
function purchase(userId: string, tag: string) {
  const session = {
    id: `cs_${tag}_${userId}`,
    object: 'checkout.session',
    client_reference_id: userId,
    metadata: { pack: 'starter' },
    payment_status: 'paid',
    payment_intent: `pi_${tag}_${userId}`,
    amount_total: 900,
    currency: 'usd',
  };
  const charge = { id: `ch_${tag}_${userId}`, object: 'charge', payment_intent: session.payment_intent, amount: 900 };
  return {
    session,
    completed: (n = 1) => event(`evt_done_${n}_${tag}_${userId}`, 'checkout.session.completed', session),
    refunded: (refunded: number, n = 1) =>
      event(`evt_refund_${refunded}_${n}_${tag}_${userId}`, 'charge.refunded', {
        ...charge,
        amount_refunded: refunded,
      }),
  };
}

describe('refunds in either order', () => {
  it('a refund that arrives before its completion takes the credits back when the completion arrives', async () => {
    const user = await registerUser(app);
    const p = purchase(user.user.id, 'early');
    const refund = await webhook(app, p.refunded(900));
    expect([refund.statusCode, refund.json().duplicate]).toEqual([200, false]);
    // Retried refund: same event, and the same refund under a new event id.
    expect((await webhook(app, p.refunded(900))).json().duplicate).toBe(true);
    expect((await webhook(app, p.refunded(900, 2))).statusCode).toBe(200);
    expect(await balance(user)).toBe(0);
    expect((await webhook(app, p.completed())).statusCode).toBe(200);
    expect(await balance(user)).toBe(0);
    // Retried completion: same event, then a new event id for the same session.
    expect((await webhook(app, p.completed())).json().duplicate).toBe(true);
    expect((await webhook(app, p.completed(2))).json().duplicate).toBe(false);
    expect((await webhook(app, p.refunded(900, 3))).statusCode).toBe(200);
    expect(await balance(user)).toBe(0);
    const tx = (await app.inject({ method: 'GET', url: '/v1/credits', headers: bearer(user) })).json().transactions;
    expect(tx.map((t: { amount: number; reason: string }) => [t.reason, t.amount])).toEqual([
      ['refund', -100],
      ['purchase', 100],
    ]);
  });

  it('a partial refund first, then the completion, then the rest', async () => {
    const user = await registerUser(app);
    const p = purchase(user.user.id, 'partial');
    await webhook(app, p.refunded(450));
    await webhook(app, p.completed());
    expect(await balance(user)).toBe(50);
    // A late duplicate of the smaller refund must not give credits back.
    await webhook(app, p.refunded(450, 2));
    expect(await balance(user)).toBe(50);
    await webhook(app, p.refunded(900));
    await webhook(app, p.refunded(900));
    expect(await balance(user)).toBe(0);
  });

  it('completion then refund, with retries of each', async () => {
    const user = await registerUser(app);
    const p = purchase(user.user.id, 'inorder');
    await webhook(app, p.completed());
    await webhook(app, p.completed());
    await webhook(app, p.completed(2));
    expect(await balance(user)).toBe(100);
    await webhook(app, p.refunded(900));
    await webhook(app, p.refunded(900));
    await webhook(app, p.refunded(900, 2));
    expect(await balance(user)).toBe(0);
  });

  it('a refund and its completion delivered at the same moment settle to zero', async () => {
    const user = await registerUser(app);
    const p = purchase(user.user.id, 'race');
    const answers = await Promise.all([webhook(app, p.refunded(900)), webhook(app, p.completed())]);
    expect(answers.map((a) => a.statusCode)).toEqual([200, 200]);
    expect(await balance(user)).toBe(0);
  });
});

describe('only configured packs, at their price', () => {
  const cases = [
    ['an unknown pack', { metadata: { pack: 'mega', credits: '100000' } }, /unknown pack "mega"/],
    ['too little paid', { amount_total: 1 }, /paid 1 usd but pack "starter" costs 900 usd/],
    ['another currency', { currency: 'jpy' }, /paid 900 jpy/],
    ['no amount', { amount_total: null }, /paid nothing/],
  ] as const;
  for (const [name, change, message] of cases) {
    it(`records ${name} without granting, answers 200 and logs it`, async () => {
      const user = await registerUser(app);
      const p = purchase(user.user.id, `bad${name.length}`);
      const payload = event(`evt_bad_${user.user.id}`, 'checkout.session.completed', { ...p.session, ...change });
      const res = await webhook(app, payload);
      expect(res.statusCode).toBe(200);
      expect(await balance(user)).toBe(0);
      const line = lines.find((l) => l.msg === 'stripe payment not granted' && l.checkoutSessionId === p.session.id);
      expect(line).toMatchObject({ level: 40, userId: user.user.id });
      expect(String(line?.problem)).toMatch(message);
      // Refunding it takes nothing back.
      await webhook(app, p.refunded(900));
      expect(await balance(user)).toBe(0);
    });
  }
});

describe('malformed signed events', () => {
  for (const [name, object] of [
    ['null', null],
    ['[]', []],
    ['no id', { object: 'charge', amount: 1, amount_refunded: 1 }],
    ['a NUL in the id', { id: 'cs_\u0000', payment_status: 'paid' }],
  ] as const) {
    it(`answers 400 with the error shape for data.object ${name}`, async () => {
      for (const type of ['checkout.session.completed', 'charge.refunded', 'customer.created']) {
        const res = await webhook(app, event(`evt_malformed_${type}_${name}`, type, object as never));
        expect(res.statusCode).toBe(400);
        expect(res.json().error).toMatchObject({ code: 'BAD_WEBHOOK_EVENT', message: expect.stringMatching(/data/) });
      }
    });
  }

  it('answers 400 for a charge without amounts', async () => {
    const res = await webhook(app, event('evt_noamount', 'charge.refunded', { id: 'ch_x', payment_intent: 'pi_x' }));
    expect([res.statusCode, errorCode(res)]).toEqual([400, 'BAD_WEBHOOK_EVENT']);
  });
});
