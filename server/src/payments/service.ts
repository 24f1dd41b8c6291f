import { AppError } from '@vmp/shared/errors';
import { NotFoundError, ServiceUnavailableError } from '@vmp/shared/http';
import { eq, sql } from 'drizzle-orm';
import Stripe from 'stripe';
import type { CreditPack, ServerConfig } from '../config.ts';
import type { AppContext } from '../context.ts';
import { grantInTx } from '../credits/service.ts';
import type { Tx } from '../db/index.ts';
import { chargeRefunds, payments, stripeEvents, users } from '../db/schema.ts';
import { type Charge, type CheckoutSession, intentId, parseEvent } from './events.ts';

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
  // Own properties only: "__proto__", "constructor" or "toString" are not packs.
  const pack = Object.hasOwn(config.packs, packId) ? config.packs[packId] : undefined;
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

export interface WebhookResult {
  received: true;
  duplicate: boolean;
  outcome: string;
  /** Set when money arrived but no credits were granted: logged as a warning for an operator. */
  notGranted?: Record<string, unknown>;
}

/**
 * Serialises everything about one payment intent (its completion and its refunds) across transactions and
 * processes, so a refund and its completion arriving at the same moment cannot both miss each other.
 */
async function lockPaymentIntent(tx: Tx, paymentIntentId: string) {
  await tx.execute(sql`select pg_advisory_xact_lock(hashtextextended(${`stripe-pi:${paymentIntentId}`}, 0))`);
}

/** Why a paid session grants nothing, or undefined when it matches a configured pack exactly. */
export function packProblem(
  pack: CreditPack | undefined,
  packId: string,
  amountTotal: number | null | undefined,
  currency: string | null | undefined,
): string | undefined {
  if (!pack) return `unknown pack "${packId}"`;
  if (amountTotal !== pack.unitAmount || currency?.toLowerCase() !== pack.currency.toLowerCase()) {
    return `paid ${amountTotal ?? 'nothing'} ${currency ?? '?'} but pack "${packId}" costs ${pack.unitAmount} ${pack.currency}`;
  }
  return undefined;
}

/**
 * Takes back the share of a payment's credits that Stripe reported refunded, once both the payment and the
 * refund are known (in either order). Call under lockPaymentIntent.
 */
async function settleRefund(tx: Tx, paymentIntentId: string): Promise<string> {
  const [payment] = await tx.select().from(payments).where(eq(payments.paymentIntentId, paymentIntentId));
  const [refund] = await tx.select().from(chargeRefunds).where(eq(chargeRefunds.paymentIntentId, paymentIntentId));
  if (!refund) return 'nothing refunded';
  if (!payment) return 'refund recorded; its payment is not known yet';
  if (!payment.granted) return 'refund of a payment that granted nothing';
  // Partial refunds take back a proportional share; the full refund takes back the whole pack.
  const share = refund.amount > 0 ? Math.min(1, refund.amountRefunded / refund.amount) : 1;
  const target = Math.round(payment.credits * share);
  const delta = target - payment.refundedCredits;
  if (delta <= 0) return 'nothing to remove';
  await grantInTx(tx, {
    userId: payment.userId,
    amount: -delta,
    reason: 'refund',
    reference: payment.checkoutSessionId,
    idempotencyKey: `stripe:refund:${payment.checkoutSessionId}:${target}`,
  });
  await tx
    .update(payments)
    .set({ refundedCredits: target })
    .where(eq(payments.checkoutSessionId, payment.checkoutSessionId));
  return 'removed';
}

async function onCheckoutCompleted(
  ctx: AppContext,
  tx: Tx,
  session: CheckoutSession,
): Promise<Pick<WebhookResult, 'outcome' | 'notGranted'>> {
  if (session.payment_status !== 'paid') return { outcome: 'not paid yet' };
  const facts = {
    checkoutSessionId: session.id,
    pack: session.metadata?.pack,
    amountTotal: session.amount_total,
    currency: session.currency,
  };
  const userId = session.client_reference_id;
  if (!userId || !UUID.test(userId)) {
    return { outcome: 'no client_reference_id', notGranted: { ...facts, problem: 'no client_reference_id' } };
  }
  const [user] = await tx.select({ id: users.id }).from(users).where(eq(users.id, userId));
  if (!user) return { outcome: 'unknown user', notGranted: { ...facts, userId, problem: 'unknown user' } };
  const packId = session.metadata?.pack ?? '';
  const pack = Object.hasOwn(ctx.config.packs, packId) ? ctx.config.packs[packId] : undefined;
  const problem = packProblem(pack, packId, session.amount_total, session.currency);
  const paymentIntent = intentId(session.payment_intent);
  if (paymentIntent) await lockPaymentIntent(tx, paymentIntent);
  await tx
    .insert(payments)
    .values({
      checkoutSessionId: session.id,
      userId,
      pack: packId,
      credits: problem || !pack ? 0 : pack.credits,
      amountTotal: session.amount_total ?? null,
      currency: session.currency ?? null,
      granted: !problem,
      problem: problem ?? null,
      paymentIntentId: paymentIntent ?? null,
    })
    .onConflictDoNothing();
  if (problem || !pack) return { outcome: 'recorded without credits', notGranted: { ...facts, userId, problem } };
  await grantInTx(tx, {
    userId,
    amount: pack.credits,
    reason: 'purchase',
    reference: session.id,
    idempotencyKey: `stripe:session:${session.id}`,
  });
  // A refund that arrived before this completion is settled now.
  const refund = paymentIntent ? await settleRefund(tx, paymentIntent) : 'nothing refunded';
  return { outcome: refund === 'removed' ? 'granted, then refunded' : 'granted' };
}

async function onChargeRefunded(tx: Tx, charge: Charge): Promise<string> {
  const paymentIntent = intentId(charge.payment_intent);
  if (!paymentIntent) return 'no payment intent';
  await lockPaymentIntent(tx, paymentIntent);
  // Refund events only ever grow the refunded amount; one delivered late must not shrink it.
  await tx
    .insert(chargeRefunds)
    .values({ paymentIntentId: paymentIntent, amount: charge.amount, amountRefunded: charge.amount_refunded })
    .onConflictDoUpdate({
      target: chargeRefunds.paymentIntentId,
      set: {
        amount: sql`excluded.amount`,
        amountRefunded: sql`greatest(${chargeRefunds.amountRefunded}, excluded.amount_refunded)`,
        updatedAt: new Date(),
      },
    });
  return settleRefund(tx, paymentIntent);
}

export class WebhookSignatureError extends AppError {
  constructor(message: string) {
    super('BAD_WEBHOOK_SIGNATURE', `Webhook signature verification failed: ${message}`, { status: 400 });
  }
}

/** Verifies and applies a Stripe event; each event id is applied once, in the same transaction as its effect. */
export async function handleWebhook(
  ctx: AppContext,
  rawBody: Buffer | undefined,
  signature: string | undefined,
): Promise<WebhookResult> {
  const secret = ctx.config.stripe.webhookSecret;
  if (!secret)
    throw new ServiceUnavailableError('Stripe webhooks are not configured (STRIPE_WEBHOOK_SECRET is not set).');
  if (!rawBody || !signature) throw new WebhookSignatureError('missing body or Stripe-Signature header');
  let verified: unknown;
  try {
    verified = stripeClient(ctx.config).webhooks.constructEvent(rawBody, signature, secret);
  } catch (error) {
    throw new WebhookSignatureError((error as Error).message);
  }
  const event = parseEvent(verified);
  return ctx.db.transaction(async (tx) => {
    const [fresh] = await tx
      .insert(stripeEvents)
      .values({ id: event.id, type: event.eventType })
      .onConflictDoNothing()
      .returning({ id: stripeEvents.id });
    if (!fresh) return { received: true, duplicate: true, outcome: 'duplicate' };
    if (event.type === 'checkout') {
      return { received: true, duplicate: false, ...(await onCheckoutCompleted(ctx, tx, event.session)) };
    }
    if (event.type === 'refund')
      return { received: true, duplicate: false, outcome: await onChargeRefunded(tx, event.charge) };
    return { received: true, duplicate: false, outcome: 'ignored' };
  });
}
