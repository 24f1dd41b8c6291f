import {
  ConflictError,
  type CreditSummary,
  type CreditTransaction,
  InsufficientCreditsError,
  NotFoundError,
  type Reservation,
  ReservationClosedError,
  type UsageEntry,
  ValidationError,
} from '@vmp/shared/http';
import { and, eq, gt, sql } from 'drizzle-orm';
import type { AppContext } from '../context.ts';
import { type Db, prepared, type Queryable, type Tx } from '../db/index.ts';
import { creditAccounts, creditLedger, creditReservations, offlineAllowances } from '../db/schema.ts';
import { allowanceOf, allowancesHeld, chainStep, drawAllowance, headroom } from './allowance.ts';

type ReservationRow = typeof creditReservations.$inferSelect;

/**
 * Locks the user's balance row (SELECT ... FOR UPDATE). Every credit movement of a user runs under
 * this lock, so concurrent reservations from any number of processes are decided one at a time.
 */
export async function lockAccount(tx: Tx, userId: string) {
  const select = () => tx.select().from(creditAccounts).where(eq(creditAccounts.userId, userId)).for('update');
  const [row] = await select();
  if (row) return row;
  await tx.insert(creditAccounts).values({ userId }).onConflictDoNothing();
  const [created] = await select();
  return created!;
}

/** Sum of open holds; a 'held' reservation past its expiry no longer counts. */
export async function heldAmount(db: Queryable, userId: string, now: Date): Promise<number> {
  const [row] = await db
    .select({ held: sql<string>`coalesce(sum(${creditReservations.amount}), 0)` })
    .from(creditReservations)
    .where(
      and(
        eq(creditReservations.userId, userId),
        eq(creditReservations.status, 'held'),
        gt(creditReservations.expiresAt, now),
      ),
    );
  return Number(row?.held ?? 0);
}

/** Appends to the ledger once per idempotency key and moves the balance with it. Call under lockAccount. */
export async function appendLedger(
  tx: Tx,
  entry: { userId: string; amount: number; reason: string; reference: string | null; idempotencyKey: string },
) {
  const [row] = await tx.insert(creditLedger).values(entry).onConflictDoNothing().returning();
  if (row) {
    await tx
      .update(creditAccounts)
      .set({ balance: sql`${creditAccounts.balance} + ${entry.amount}`, updatedAt: new Date() })
      .where(eq(creditAccounts.userId, entry.userId));
    return { row, duplicate: false };
  }
  const [existing] = await tx.select().from(creditLedger).where(eq(creditLedger.idempotencyKey, entry.idempotencyKey));
  return { row: existing!, duplicate: true };
}

/**
 * The open holds on an account as columns of a prepared statement (placeholders userId, now, except): credits held
 * by reservations, and machines' offline allowances not yet reported — except the asking machine's own.
 */
function holdColumns() {
  return {
    held: sql<string>`(select coalesce(sum(${creditReservations.amount}), 0) from ${creditReservations}
      where ${creditReservations.userId} = ${sql.placeholder('userId')} and ${creditReservations.status} = 'held'
      and ${creditReservations.expiresAt} > ${sql.placeholder('now')})`,
    offlineHeld: sql<string>`(select coalesce(sum(greatest(${offlineAllowances.creditLimit} - ${offlineAllowances.reported}, 0)), 0)
      from ${offlineAllowances} where ${offlineAllowances.userId} = ${sql.placeholder('userId')}
      and ${offlineAllowances.expiresAt} > ${sql.placeholder('now')}
      and ${offlineAllowances.activationId} is distinct from ${sql.placeholder('except')}::uuid)`,
  };
}

/**
 * Balance and open holds in one round trip. Offline allowances of machines are held too; asked by a machine
 * (`activationId`), its own allowance is left out: its reservations may take it.
 */
export async function creditSummary(db: Db, userId: string, activationId?: string): Promise<CreditSummary> {
  const statement = prepared(db, 'credit_summary', (pdb, name) =>
    pdb
      .select({
        balance: creditAccounts.balance,
        ...holdColumns(),
      })
      .from(creditAccounts)
      .where(eq(creditAccounts.userId, sql.placeholder('userId')))
      .prepare(name),
  );
  const [row] = await statement.execute({ userId, now: new Date().toISOString(), except: activationId ?? null });
  const balance = row?.balance ?? 0;
  const held = Number(row?.held ?? 0);
  const offlineHeld = Number(row?.offlineHeld ?? 0);
  return { balance, held, offlineHeld, available: balance - held - offlineHeld };
}

/** Balance, holds and the latest transactions in one round trip (GET /v1/credits is a hot path). */
export async function creditOverview(db: Db, userId: string, limit = 20, activationId?: string) {
  const statement = prepared(db, 'credit_overview', (pdb, name) =>
    pdb
      .select({
        balance: creditAccounts.balance,
        ...holdColumns(),
        transactions: sql<TransactionJson[]>`(select coalesce(json_agg(t order by t.id desc), '[]'::json) from (
          select ${creditLedger.id} as id, ${creditLedger.amount} as amount, ${creditLedger.reason} as reason,
            ${creditLedger.reference} as reference, ${creditLedger.createdAt} as created_at
          from ${creditLedger} where ${creditLedger.userId} = ${sql.placeholder('userId')}
          order by ${creditLedger.id} desc limit ${sql.placeholder('limit')}) t)`,
      })
      .from(creditAccounts)
      .where(eq(creditAccounts.userId, sql.placeholder('userId')))
      .prepare(name),
  );
  const [row] = await statement.execute({
    userId,
    now: new Date().toISOString(),
    limit,
    except: activationId ?? null,
  });
  const balance = row?.balance ?? 0;
  const held = Number(row?.held ?? 0);
  const offlineHeld = Number(row?.offlineHeld ?? 0);
  const raw = typeof row?.transactions === 'string' ? JSON.parse(row.transactions) : (row?.transactions ?? []);
  const transactions: CreditTransaction[] = (raw as TransactionJson[]).map((t) => ({
    id: String(t.id),
    amount: t.amount,
    reason: t.reason,
    reference: t.reference,
    createdAt: new Date(t.created_at).toISOString(),
  }));
  return { balance, held, offlineHeld, available: balance - held - offlineHeld, transactions };
}

interface TransactionJson {
  id: number;
  amount: number;
  reason: string;
  reference: string | null;
  created_at: string;
}

export function reservationView(r: ReservationRow, now = new Date()): Reservation {
  const expired = r.status === 'held' && r.expiresAt.getTime() <= now.getTime();
  return {
    id: r.id,
    jobId: r.jobId,
    amount: r.amount,
    used: r.used,
    status: expired ? 'expired' : r.status,
    expiresAt: r.expiresAt.toISOString(),
    createdAt: r.createdAt.toISOString(),
  };
}

/**
 * Holds `amount` credits for a render job; the same jobId returns the same hold. Other machines' offline allowances
 * are not free; the requesting machine's own allowance is, and what the hold takes from it comes off its limit
 * (`fromAllowance`, so the app stops counting on it offline).
 */
export async function reserve(
  ctx: AppContext,
  userId: string,
  jobId: string,
  amount: number,
  activationId?: string,
): Promise<Reservation> {
  const result = await ctx.db.transaction(async (tx) => {
    const account = await lockAccount(tx, userId);
    const [existing] = await tx
      .select()
      .from(creditReservations)
      .where(and(eq(creditReservations.userId, userId), eq(creditReservations.jobId, jobId)));
    if (existing) {
      if (existing.amount !== amount) {
        throw new ConflictError('This jobId was reserved with another amount.', { jobId, amount: existing.amount });
      }
      return { row: existing, created: false };
    }
    const now = new Date();
    const free =
      account.balance - (await heldAmount(tx, userId, now)) - (await allowancesHeld(tx, userId, now, activationId));
    const own = activationId ? headroom(await allowanceOf(tx, activationId), now) : 0;
    if (free < amount) throw new InsufficientCreditsError(amount, Math.max(0, free));
    const fromAllowance = Math.max(0, amount - Math.max(0, free - own));
    if (fromAllowance > 0) await drawAllowance(tx, activationId!, fromAllowance);
    const [row] = await tx
      .insert(creditReservations)
      .values({ userId, jobId, amount, expiresAt: new Date(now.getTime() + ctx.config.reservationTtlSeconds * 1000) })
      .returning();
    return { row: row!, created: true, fromAllowance };
  });
  if (result.created) ctx.metrics.creditsReserved.inc(amount);
  return { ...reservationView(result.row), fromAllowance: 'fromAllowance' in result ? result.fromAllowance : 0 };
}

async function lockReservation(tx: Tx, userId: string, id: string) {
  const [row] = await tx
    .select()
    .from(creditReservations)
    .where(and(eq(creditReservations.id, id), eq(creditReservations.userId, userId)))
    .for('update');
  if (!row) throw new NotFoundError('No such reservation.');
  return row;
}

/** Debits `used` (≤ amount) and frees the rest. Committing again with the same `used` is a no-op. */
export async function commit(ctx: AppContext, userId: string, id: string, used: number): Promise<Reservation> {
  const result = await ctx.db.transaction(async (tx) => {
    await lockAccount(tx, userId);
    const row = await lockReservation(tx, userId, id);
    if (row.status === 'committed') {
      if (row.used !== used)
        throw new ConflictError('This reservation was committed with another amount.', { used: row.used });
      return { row, debited: 0 };
    }
    const view = reservationView(row);
    if (view.status !== 'held') throw new ReservationClosedError(view.status);
    if (used > row.amount) throw new ValidationError(`used (${used}) exceeds the reserved amount (${row.amount}).`);
    if (used > 0) {
      await appendLedger(tx, {
        userId,
        amount: -used,
        reason: 'render',
        reference: row.jobId,
        idempotencyKey: `reservation:${row.id}`,
      });
    }
    const [updated] = await tx
      .update(creditReservations)
      .set({ status: 'committed', used, closedAt: new Date() })
      .where(eq(creditReservations.id, row.id))
      .returning();
    return { row: updated!, debited: used };
  });
  if (result.debited) ctx.metrics.creditsCommitted.inc(result.debited);
  return reservationView(result.row);
}

/** Frees the whole hold. Releasing again is a no-op; an expired hold is already free. */
export async function release(ctx: AppContext, userId: string, id: string): Promise<Reservation> {
  const row = await ctx.db.transaction(async (tx) => {
    await lockAccount(tx, userId);
    const row = await lockReservation(tx, userId, id);
    if (row.status === 'released') return row;
    if (row.status === 'committed') throw new ReservationClosedError('committed');
    const [updated] = await tx
      .update(creditReservations)
      .set({ status: 'released', closedAt: new Date() })
      .where(eq(creditReservations.id, row.id))
      .returning();
    return updated!;
  });
  return reservationView(row);
}

/**
 * Debits renders done offline, each entry id once. The renders already happened, so the debit is
 * taken even when it drives the balance below zero; new reservations then wait for a top-up.
 */
export async function applyUsage(ctx: AppContext, userId: string, entries: UsageEntry[], activationId?: string) {
  // Chained entries (numbered per machine) in order, so a gap is seen where it is.
  const ordered = [...entries].sort((a, b) => (a.seq ?? 0) - (b.seq ?? 0));
  const result = await ctx.db.transaction(async (tx) => {
    await lockAccount(tx, userId);
    const applied: string[] = [];
    const duplicates: string[] = [];
    let debited = 0;
    for (const entry of ordered) {
      if (activationId && entry.seq !== undefined && entry.total !== undefined) {
        const step = await chainStep(tx, activationId, userId, {
          seq: entry.seq,
          total: entry.total,
          amount: entry.amount,
        });
        if (step.gap > 0) {
          // Entries deleted on the machine: what they added up to is charged, once.
          await appendLedger(tx, {
            userId,
            amount: -step.gap,
            reason: 'offline-gap',
            reference: `${activationId}#${entry.seq}`,
            idempotencyKey: `usage-gap:${activationId}:${entry.seq}`,
          });
          debited += step.gap;
          ctx.metrics.usageGaps.inc();
        }
        if (step.counted) {
          duplicates.push(entry.id);
          continue;
        }
      }
      const { duplicate } = await appendLedger(tx, {
        userId,
        amount: -entry.amount,
        reason: 'offline-render',
        reference: entry.jobId ?? null,
        idempotencyKey: `usage:${userId}:${entry.id}`,
      });
      if (duplicate) duplicates.push(entry.id);
      else {
        applied.push(entry.id);
        debited += entry.amount;
      }
    }
    const [account] = await tx.select().from(creditAccounts).where(eq(creditAccounts.userId, userId));
    return { applied, duplicates, balance: account!.balance, debited };
  });
  if (result.debited) ctx.metrics.creditsCommitted.inc(result.debited);
  return { applied: result.applied, duplicates: result.duplicates, balance: result.balance };
}

/** Adds (or with a negative amount removes) credits once per idempotency key, e.g. purchases and admin grants. */
export async function grantInTx(
  tx: Tx,
  entry: { userId: string; amount: number; reason: string; reference: string | null; idempotencyKey: string },
) {
  await lockAccount(tx, entry.userId);
  const { row, duplicate } = await appendLedger(tx, entry);
  const [account] = await tx.select().from(creditAccounts).where(eq(creditAccounts.userId, entry.userId));
  return { transactionId: String(row.id), balance: account!.balance, duplicate };
}
