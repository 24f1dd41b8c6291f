import { sql } from 'drizzle-orm';
import {
  bigint,
  bigserial,
  boolean,
  check,
  index,
  integer,
  jsonb,
  pgSequence,
  pgTable,
  primaryKey,
  text,
  timestamp,
  uniqueIndex,
  uuid,
} from 'drizzle-orm/pg-core';

const createdAt = () => timestamp('created_at', { withTimezone: true }).notNull().defaultNow();

export const users = pgTable('users', {
  id: uuid('id').primaryKey().defaultRandom(),
  email: text('email').notNull().unique(),
  passwordHash: text('password_hash').notNull(),
  createdAt: createdAt(),
});

/** Refresh tokens are stored as SHA-256 hashes; a family shares one login, so reuse of a rotated token revokes it all. */
export const refreshTokens = pgTable(
  'refresh_tokens',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    userId: uuid('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    familyId: uuid('family_id').notNull(),
    tokenHash: text('token_hash').notNull().unique(),
    expiresAt: timestamp('expires_at', { withTimezone: true }).notNull(),
    revokedAt: timestamp('revoked_at', { withTimezone: true }),
    createdAt: createdAt(),
  },
  (t) => [index('refresh_tokens_family_idx').on(t.familyId)],
);

export const licenses = pgTable(
  'licenses',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    userId: uuid('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    key: text('key').notNull().unique(),
    type: text('type', { enum: ['TRIAL', 'PRO', 'ENTERPRISE'] }).notNull(),
    status: text('status', { enum: ['active', 'suspended', 'revoked'] })
      .notNull()
      .default('active'),
    maxActivations: integer('max_activations').notNull(),
    expiresAt: timestamp('expires_at', { withTimezone: true }),
    /** When the license was last suspended or revoked: offline usage made before then is still accepted. */
    unusableSince: timestamp('unusable_since', { withTimezone: true }),
    createdAt: createdAt(),
  },
  (t) => [index('licenses_user_idx').on(t.userId)],
);

/** One row per activated machine; deleting the row frees the seat. */
export const activations = pgTable(
  'activations',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    licenseId: uuid('license_id')
      .notNull()
      .references(() => licenses.id, { onDelete: 'cascade' }),
    machineId: text('machine_id').notNull(),
    // Kept readable because the server must recompute the machine's HMAC.
    secret: text('secret').notNull(),
    appVersion: text('app_version').notNull(),
    platform: text('platform').notNull(),
    createdAt: createdAt(),
    lastSeenAt: timestamp('last_seen_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [uniqueIndex('activations_license_machine_idx').on(t.licenseId, t.machineId)],
);

/** Seen request nonces, so a replay is refused across processes until the nonce expires. */
export const requestNonces = pgTable(
  'request_nonces',
  {
    nonce: text('nonce').primaryKey(),
    expiresAt: timestamp('expires_at', { withTimezone: true }).notNull(),
  },
  (t) => [index('request_nonces_expires_idx').on(t.expiresAt)],
);

/** The per-user balance row: the lock target that serialises every credit movement of a user. */
export const creditAccounts = pgTable('credit_accounts', {
  userId: uuid('user_id')
    .primaryKey()
    .references(() => users.id, { onDelete: 'cascade' }),
  balance: bigint('balance', { mode: 'number' }).notNull().default(0),
  updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
});

/** Append-only: rows are never updated or deleted. The balance is the sum of amounts. */
export const creditLedger = pgTable(
  'credit_ledger',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    userId: uuid('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    amount: bigint('amount', { mode: 'number' }).notNull(),
    reason: text('reason').notNull(),
    reference: text('reference'),
    idempotencyKey: text('idempotency_key').notNull().unique(),
    createdAt: createdAt(),
  },
  (t) => [index('credit_ledger_user_idx').on(t.userId, t.id), check('credit_ledger_nonzero', sql`${t.amount} <> 0`)],
);

export const creditReservations = pgTable(
  'credit_reservations',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    userId: uuid('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    jobId: text('job_id').notNull(),
    amount: bigint('amount', { mode: 'number' }).notNull(),
    used: bigint('used', { mode: 'number' }),
    // 'held' past expires_at counts as expired; no sweeper needed.
    status: text('status', { enum: ['held', 'committed', 'released'] })
      .notNull()
      .default('held'),
    expiresAt: timestamp('expires_at', { withTimezone: true }).notNull(),
    createdAt: createdAt(),
    closedAt: timestamp('closed_at', { withTimezone: true }),
  },
  (t) => [
    uniqueIndex('credit_reservations_user_job_idx').on(t.userId, t.jobId),
    index('credit_reservations_open_idx').on(t.userId, t.status, t.expiresAt),
    check('credit_reservations_amount_positive', sql`${t.amount} > 0`),
  ],
);

/**
 * The offline allowance of a machine: what its lease lets it render without asking, held from the balance while
 * `expires_at` is ahead. Counted in usage-chain totals: the machine may reach `credit_limit`; `reported` is what its
 * chained usage entries added up to so far (the hold is the difference) and `last_seq` the last entry number seen.
 * Outlives the activation row, so a lease kept after deactivating stays covered until it expires.
 */
export const offlineAllowances = pgTable(
  'offline_allowances',
  {
    activationId: uuid('activation_id').primaryKey(),
    userId: uuid('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    creditLimit: bigint('credit_limit', { mode: 'number' }).notNull().default(0),
    reported: bigint('reported', { mode: 'number' }).notNull().default(0),
    lastSeq: bigint('last_seq', { mode: 'number' }).notNull().default(0),
    expiresAt: timestamp('expires_at', { withTimezone: true }).notNull(),
  },
  (t) => [index('offline_allowances_user_idx').on(t.userId, t.expiresAt)],
);

/**
 * Completed checkout sessions, granted or not (`granted` false: the pack, amount or currency did not match,
 * recorded for an operator), so a refund can find the user and the credits.
 */
export const payments = pgTable('payments', {
  checkoutSessionId: text('checkout_session_id').primaryKey(),
  userId: uuid('user_id')
    .notNull()
    .references(() => users.id, { onDelete: 'cascade' }),
  pack: text('pack').notNull(),
  credits: bigint('credits', { mode: 'number' }).notNull(),
  amountTotal: bigint('amount_total', { mode: 'number' }),
  currency: text('currency'),
  granted: boolean('granted').notNull().default(true),
  /** Why nothing was granted. */
  problem: text('problem'),
  paymentIntentId: text('payment_intent_id').unique(),
  refundedCredits: bigint('refunded_credits', { mode: 'number' }).notNull().default(0),
  createdAt: createdAt(),
});

/**
 * What Stripe reported refunded per payment intent, whether or not its checkout completion arrived yet:
 * whichever of the two arrives second settles the credits.
 */
export const chargeRefunds = pgTable('charge_refunds', {
  paymentIntentId: text('payment_intent_id').primaryKey(),
  amount: bigint('amount', { mode: 'number' }).notNull(),
  amountRefunded: bigint('amount_refunded', { mode: 'number' }).notNull(),
  updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
});

/** Stripe event ids already processed. */
export const stripeEvents = pgTable('stripe_events', {
  id: text('id').primaryKey(),
  type: text('type').notNull(),
  processedAt: timestamp('processed_at', { withTimezone: true }).notNull().defaultNow(),
});

export const projectChangeSeq = pgSequence('project_change_seq');

export const projects = pgTable(
  'projects',
  {
    userId: uuid('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    id: text('id').notNull(),
    version: integer('version').notNull(),
    doc: jsonb('doc'),
    deleted: boolean('deleted').notNull().default(false),
    /** Takes nextval(project_change_seq) on every write: the sync cursor. */
    changeSeq: bigint('change_seq', { mode: 'number' }).notNull(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.userId, t.id] }), index('projects_user_seq_idx').on(t.userId, t.changeSeq)],
);

/** Server key material (lease signing key pair, access-token secret), created at first start. */
export const serverKeys = pgTable('server_keys', {
  id: text('id').primaryKey(),
  value: jsonb('value').notNull(),
  createdAt: createdAt(),
});
