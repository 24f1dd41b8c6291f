import { AppError } from '@vmp/shared/errors';
import { NotFoundError, ServiceUnavailableError } from '@vmp/shared/http';
import { eq } from 'drizzle-orm';
import Stripe from 'stripe';
import type { ServerConfig } from '../config.ts';
import type { AppContext } from '../context.ts';
import { grantInTx } from '../credits/service.ts';
import type { Tx } from '../db/index.ts';
import { payments, stripeEvents, users } from '../db/schema.ts';

export function stripeClient(config: ServerConfig, apiKey = config.stripe.secretKey): Stripe {
  const { host, port, protocol } = config.stripe;
  return new Stripe(apiKey ?? 'sk_unset', {
    maxNetworkRetries: 1,
    timeout: 20_000,
    ...(host ? { host } : {}),
    ...(port ? { port } : {}),
    ...(protocol ? { protocol } : {}),
  });
}

/** Creates a Stripe Checkout Session for a credit pack; the webhook grants the credits once paid. */
export async function createCheckout(ctx: AppContext, userId: string, packId: string) {
  const { config } = ctx;
  if (!config.stripe.secretKey) {
    throw new ServiceUnavailableError('Payments are not configured on this server (STRIPE_SECRET_KEY is not set).');
  }
  const pack = config.packs[packId];
  if (!pack) throw new NotFoundError(`Unknown credit pack "${packId}".`, { packs: Object.keys(config.packs) });
  let session: Stripe.Checkout.Session;
  try {
    session = await stripeClient(config).checkout.sessions.create({
      mode: 'payment',
      client_reference_id: userId,
      metadata: { pack: packId, credits: String(pack.credits) },
      line_items: [
        {
          quantity: 1,
          price_data: { currency: pack.currency, unit_amount: pack.unitAmount, product_data: { name: pack.name } },
        },
      ],
      success_url: `${config.publicUrl}/checkout/success?session_id={CHECKOUT_SESSION_ID}`,
      cancel_url: `${config.publicUrl}/checkout/cancel`,
    });
  } catch (error) {
    throw new AppError('PAYMENT_PROVIDER_ERROR', `Stripe refused or did not answer: ${(error as Error).message}`, {
      status: 502,
      cause: error,
    });
  }
  if (!session.url) throw new AppError('PAYMENT_PROVIDER_ERROR', 'Stripe returned no checkout URL.', { status: 502 });
  return { id: session.id, url: session.url };
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

async function onCheckoutCompleted(ctx: AppContext, tx: Tx, session: Stripe.Checkout.Session) {
  if (session.payment_status !== 'paid') return 'not paid yet';
  const userId = session.client_reference_id;
  if (!userId || !UUID.test(userId)) return 'no client_reference_id';
  const [user] = await tx.select({ id: users.id }).from(users).where(eq(users.id, userId));
  if (!user) return 'unknown user';
  const packId = session.metadata?.pack ?? '';
  const credits = ctx.config.packs[packId]?.credits ?? Number(session.metadata?.credits ?? 0);
  if (!Number.isInteger(credits) || credits <= 0) return 'unknown pack';
  const paymentIntent =
    typeof session.payment_intent === 'string' ? session.payment_intent : session.payment_intent?.id;
  await tx
    .insert(payments)
    .values({
      checkoutSessionId: session.id,
      userId,
      pack: packId,
      credits,
      amountTotal: session.amount_total,
      paymentIntentId: paymentIntent ?? null,
    })
    .onConflictDoNothing();
  await grantInTx(tx, {
    userId,
    amount: credits,
    reason: 'purchase',
    reference: session.id,
    idempotencyKey: `stripe:session:${session.id}`,
  });
  return 'granted';
}

async function onChargeRefunded(tx: Tx, eventId: string, charge: Stripe.Charge) {
  const paymentIntent = typeof charge.payment_intent === 'string' ? charge.payment_intent : charge.payment_intent?.id;
  if (!paymentIntent) return 'no payment intent';
  const [payment] = await tx.select().from(payments).where(eq(payments.paymentIntentId, paymentIntent)).for('update');
  if (!payment) return 'unknown payment';
  // Partial refunds take back a proportional share; the full refund takes back the whole pack.
  const share = charge.amount > 0 ? Math.min(1, charge.amount_refunded / charge.amount) : 1;
  const target = Math.round(payment.credits * share);
  const delta = target - payment.refundedCredits;
  if (delta <= 0) return 'nothing to remove';
  await grantInTx(tx, {
    userId: payment.userId,
    amount: -delta,
    reason: 'refund',
    reference: payment.checkoutSessionId,
    idempotencyKey: `stripe:refund:${eventId}`,
  });
  await tx
    .update(payments)
    .set({ refundedCredits: target })
    .where(eq(payments.checkoutSessionId, payment.checkoutSessionId));
  return 'removed';
}

export class WebhookSignatureError extends AppError {
  constructor(message: string) {
    super('BAD_WEBHOOK_SIGNATURE', `Webhook signature verification failed: ${message}`, { status: 400 });
  }
}

/** Verifies and applies a Stripe event; each event id is applied once, in the same transaction as its effect. */
export async function handleWebhook(ctx: AppContext, rawBody: Buffer | undefined, signature: string | undefined) {
  const secret = ctx.config.stripe.webhookSecret;
  if (!secret)
    throw new ServiceUnavailableError('Stripe webhooks are not configured (STRIPE_WEBHOOK_SECRET is not set).');
  if (!rawBody || !signature) throw new WebhookSignatureError('missing body or Stripe-Signature header');
  let event: Stripe.Event;
  try {
    event = stripeClient(ctx.config).webhooks.constructEvent(rawBody, signature, secret);
  } catch (error) {
    throw new WebhookSignatureError((error as Error).message);
  }
  return ctx.db.transaction(async (tx) => {
    const [fresh] = await tx
      .insert(stripeEvents)
      .values({ id: event.id, type: event.type })
      .onConflictDoNothing()
      .returning({ id: stripeEvents.id });
    if (!fresh) return { received: true, duplicate: true, outcome: 'duplicate' };
    let outcome = 'ignored';
    if (event.type === 'checkout.session.completed' || event.type === 'checkout.session.async_payment_succeeded') {
      outcome = await onCheckoutCompleted(ctx, tx, event.data.object);
    } else if (event.type === 'charge.refunded') {
      outcome = await onChargeRefunded(tx, event.id, event.data.object);
    }
    return { received: true, duplicate: false, outcome };
  });
}
