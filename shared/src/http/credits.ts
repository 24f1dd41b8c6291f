import { z } from 'zod';
import { text } from './text.ts';

/** Most credits one reservation, commit or usage entry may move. */
export const MAX_CREDIT_AMOUNT = 1_000_000;
/** Most credits one usage upload may debit in total. */
export const MAX_USAGE_TOTAL = 10_000_000;

export const CreditTransaction = z.object({
  id: z.string(),
  amount: z.number().int(),
  reason: z.string(),
  reference: z.string().nullable(),
  createdAt: z.string(),
});
export type CreditTransaction = z.infer<typeof CreditTransaction>;

export const CreditSummary = z.object({
  /** Sum of the ledger. */
  balance: z.number().int(),
  /** Credits held by open reservations. */
  held: z.number().int(),
  /**
   * Credits held by machines' offline allowances (what their leases let them render without asking); asked by a
   * machine, its own allowance is left out (its reservations may take it). Older servers leave it out.
   */
  offlineHeld: z.number().int().optional(),
  /** balance - held - offlineHeld: what a new reservation can take. */
  available: z.number().int(),
});
export type CreditSummary = z.infer<typeof CreditSummary>;

export const CreditsResponse = CreditSummary.extend({ transactions: z.array(CreditTransaction) });
export type CreditsResponse = z.infer<typeof CreditsResponse>;

export const JobId = text(1, 200);

export const ReservationRequest = z.object({
  jobId: JobId,
  amount: z.number().int().positive().max(MAX_CREDIT_AMOUNT),
});
export type ReservationRequest = z.infer<typeof ReservationRequest>;

export const ReservationStatus = z.enum(['held', 'committed', 'released', 'expired']);
export type ReservationStatus = z.infer<typeof ReservationStatus>;

export const Reservation = z.object({
  id: z.string(),
  jobId: z.string(),
  amount: z.number().int(),
  used: z.number().int().nullable(),
  status: ReservationStatus,
  expiresAt: z.string(),
  createdAt: z.string(),
  /** Credits this hold took from the machine's own offline allowance (its lease's offline limit is lower by that). */
  fromAllowance: z.number().int().nonnegative().optional(),
});
export type Reservation = z.infer<typeof Reservation>;

export const ReservationParams = z.object({ id: z.uuid() });
export type ReservationParams = z.infer<typeof ReservationParams>;

export const CommitRequest = z.object({ used: z.number().int().nonnegative().max(MAX_CREDIT_AMOUNT) });
export type CommitRequest = z.infer<typeof CommitRequest>;

export const UsageEntry = z.object({
  /** Client-made unique id of the entry: the server debits each id once. */
  id: text(1, 200),
  amount: z.number().int().positive().max(MAX_CREDIT_AMOUNT),
  /** When the render happened (ISO 8601). */
  at: z.iso.datetime({ offset: true }),
  jobId: JobId.optional(),
  /** Number of the entry in this machine's usage chain (1, 2, 3… per activation): a missing number is a gap. */
  seq: z.number().int().positive().max(Number.MAX_SAFE_INTEGER).optional(),
  /** Sum of the chain's amounts up to and including this entry: what a gap added up to. */
  total: z.number().int().positive().max(Number.MAX_SAFE_INTEGER).optional(),
});
export type UsageEntry = z.infer<typeof UsageEntry>;

export const UsageRequest = z.object({
  entries: z
    .array(UsageEntry)
    .min(1)
    .max(1000)
    .refine(
      (entries) => entries.reduce((sum, e) => sum + e.amount, 0) <= MAX_USAGE_TOTAL,
      `the amounts must add up to at most ${MAX_USAGE_TOTAL} per request; send fewer entries at a time`,
    ),
});
export type UsageRequest = z.infer<typeof UsageRequest>;

export const UsageResponse = z.object({
  /** Entry ids debited by this call. */
  applied: z.array(z.string()),
  /** Entry ids debited before (resent). */
  duplicates: z.array(z.string()),
  /** Entry ids not accepted: dated after the license was suspended, revoked or expired. */
  refused: z.array(z.string()).optional(),
  balance: z.number().int(),
});
export type UsageResponse = z.infer<typeof UsageResponse>;
