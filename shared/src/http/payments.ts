import { z } from 'zod';
import { text } from './text.ts';

export const CheckoutRequest = z.object({ pack: text(1, 50) });
export type CheckoutRequest = z.infer<typeof CheckoutRequest>;

export const CheckoutResponse = z.object({ id: z.string(), url: z.string() });
export type CheckoutResponse = z.infer<typeof CheckoutResponse>;

export const WebhookResponse = z.object({ received: z.boolean(), duplicate: z.boolean() });
export type WebhookResponse = z.infer<typeof WebhookResponse>;
