import { AppError } from '@vmp/shared/errors';
import { hasNul } from '@vmp/shared/http';
import { z } from 'zod';

/** A signed Stripe event whose content cannot be applied: answered 400 so the sender sees it, nothing changed. */
export class WebhookEventError extends AppError {
  constructor(message: string) {
    super('BAD_WEBHOOK_EVENT', `The Stripe event cannot be applied: ${message}`, { status: 400 });
  }
}

const id = z
  .string()
  .min(1)
  .max(255)
  .refine((s) => !hasNul(s), 'contains NUL');
const optionalText = z
  .string()
  .max(500)
  .refine((s) => !hasNul(s), 'contains NUL')
  .nullish();
const amount = z.number().int().nonnegative().max(Number.MAX_SAFE_INTEGER);
const expandable = z.union([id, z.looseObject({ id })]).nullish();

/** The envelope every event must have, whatever its type. */
const Envelope = z.looseObject({
  id,
  type: id,
  data: z.looseObject({ object: z.looseObject({ id }) }),
});

const CheckoutSession = z.looseObject({
  id,
  payment_status: z.string().nullish(),
  client_reference_id: optionalText,
  metadata: z.record(z.string(), z.string()).nullish(),
  payment_intent: expandable,
  amount_total: amount.nullish(),
  currency: z.string().max(10).nullish(),
});
export type CheckoutSession = z.infer<typeof CheckoutSession>;

const Charge = z.looseObject({
  id,
  payment_intent: expandable,
  amount,
  amount_refunded: amount,
});
export type Charge = z.infer<typeof Charge>;

export type ParsedEvent =
  | { id: string; type: 'checkout'; eventType: string; session: CheckoutSession }
  | { id: string; type: 'refund'; eventType: string; charge: Charge }
  | { id: string; type: 'other'; eventType: string };

function describe(error: z.ZodError, prefix: string): string {
  return error.issues.map((i) => `${[prefix, ...i.path].join('.')}: ${i.message}`).join('; ');
}

export function intentId(value: z.infer<typeof expandable>): string | undefined {
  if (!value) return undefined;
  return typeof value === 'string' ? value : value.id;
}

/** Checks the shape of a verified event before anything reads it (Stripe retries for days on a 5xx). */
export function parseEvent(event: unknown): ParsedEvent {
  const envelope = Envelope.safeParse(event);
  if (!envelope.success) throw new WebhookEventError(describe(envelope.error, 'event'));
  const { id: eventId, type: eventType, data } = envelope.data;
  if (eventType === 'checkout.session.completed' || eventType === 'checkout.session.async_payment_succeeded') {
    const session = CheckoutSession.safeParse(data.object);
    if (!session.success) throw new WebhookEventError(describe(session.error, 'data.object'));
    return { id: eventId, type: 'checkout', eventType, session: session.data };
  }
  if (eventType === 'charge.refunded') {
    const charge = Charge.safeParse(data.object);
    if (!charge.success) throw new WebhookEventError(describe(charge.error, 'data.object'));
    return { id: eventId, type: 'refund', eventType, charge: charge.data };
  }
  return { id: eventId, type: 'other', eventType };
}
