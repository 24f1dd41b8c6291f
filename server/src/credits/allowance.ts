import { and, eq, gt, sql } from 'drizzle-orm';
import type { AppContext } from '../context.ts';
import type { Queryable, Tx } from '../db/index.ts';
import { creditAccounts, offlineAllowances } from '../db/schema.ts';
import { appendLedger, heldAmount, lockAccount } from './service.ts';

type AllowanceRow = typeof offlineAllowances.$inferSelect;

/** What a row holds now: its limit less what was reported, while a lease granting it can still be used. */
export function headroom(row: AllowanceRow | undefined, now: Date): number {
  if (!row || row.expiresAt.getTime() <= now.getTime()) return 0;
  return Math.max(0, row.creditLimit - row.reported);
}

/** Credits held by the offline allowances of a user's machines, all but `except` when given. */
export async function allowancesHeld(db: Queryable, userId: string, now: Date, except?: string): Promise<number> {
  const [row] = await db
    .select({
      held: sql<string>`coalesce(sum(greatest(${offlineAllowances.creditLimit} - ${offlineAllowances.reported}, 0)), 0)`,
    })
    .from(offlineAllowances)
    .where(
      and(
        eq(offlineAllowances.userId, userId),
        gt(offlineAllowances.expiresAt, now),
        except ? sql`${offlineAllowances.activationId} <> ${except}` : undefined,
      ),
    );
  return Number(row?.held ?? 0);
}

export async function allowanceOf(db: Queryable, activationId: string): Promise<AllowanceRow | undefined> {
  const [row] = await db.select().from(offlineAllowances).where(eq(offlineAllowances.activationId, activationId));
  return row;
}

/**
 * Before a lease is signed: holds min(VMP_OFFLINE_ALLOWANCE, what the balance has free) for this machine and returns
 * the usage-chain total its lease may let it reach offline. Under the account lock, like every credit movement.
 */
export async function grantAllowance(
  ctx: AppContext,
  userId: string,
  activationId: string,
  head?: { seq: number; total: number },
): Promise<{ limit: number; reported: number }> {
  return ctx.db.transaction(async (tx) => {
    const account = await lockAccount(tx, userId);
    const now = new Date();
    let row = await allowanceOf(tx, activationId);
    if (head && head.total > (row?.reported ?? 0)) {
      // The heartbeat says how far the machine's usage chain has got: what the server was not sent is debited now,
      // so usage that never arrives (lost, or held back by a proxy) is paid all the same.
      const missing = head.total - (row?.reported ?? 0);
      await appendLedger(tx, {
        userId,
        amount: -missing,
        reason: 'offline-render',
        reference: `${activationId}#${head.seq}`,
        idempotencyKey: `usage-head:${activationId}:${head.seq}`,
      });
      ctx.metrics.creditsCommitted.inc(missing);
      const values = { reported: head.total, lastSeq: Math.max(head.seq, row?.lastSeq ?? 0) };
      if (row) await tx.update(offlineAllowances).set(values).where(eq(offlineAllowances.activationId, activationId));
      else await tx.insert(offlineAllowances).values({ activationId, userId, ...values, expiresAt: now });
      row = await allowanceOf(tx, activationId);
    }
    const reported = row?.reported ?? 0;
    const [fresh] = await tx
      .select({ balance: creditAccounts.balance })
      .from(creditAccounts)
      .where(eq(creditAccounts.userId, userId));
    const balance = fresh?.balance ?? account.balance;
    const free = balance - (await heldAmount(tx, userId, now)) - (await allowancesHeld(tx, userId, now, activationId));
    const limit = reported + Math.max(0, Math.min(ctx.config.offlineAllowanceCredits, free));
    const expiresAt = new Date(now.getTime() + ctx.config.leaseTtlSeconds * 1000);
    await tx
      .insert(offlineAllowances)
      .values({ activationId, userId, creditLimit: limit, reported, expiresAt })
      .onConflictDoUpdate({ target: offlineAllowances.activationId, set: { creditLimit: limit, expiresAt } });
    return { limit, reported };
  });
}

/** A reservation of this machine took `amount` of its own allowance (the balance had no more free). */
export async function drawAllowance(tx: Tx, activationId: string, amount: number): Promise<void> {
  await tx
    .update(offlineAllowances)
    .set({ creditLimit: sql`${offlineAllowances.creditLimit} - ${amount}` })
    .where(eq(offlineAllowances.activationId, activationId));
}

/** The machine reported everything and freed its seat: nothing stays held for it. */
export async function releaseAllowance(ctx: AppContext, activationId: string): Promise<void> {
  await ctx.db
    .update(offlineAllowances)
    .set({ creditLimit: sql`${offlineAllowances.reported}` })
    .where(eq(offlineAllowances.activationId, activationId));
}

/**
 * One chained usage entry against the machine's record (under the account lock). Returns what to debit for it:
 * its amount when it is the next number; plus what the skipped numbers added up to when entries are missing (the
 * totals say how much: deleting entries on the machine does not make them free); nothing when its number was
 * already counted (sent before, or charged as part of a gap).
 */
export async function chainStep(
  tx: Tx,
  activationId: string,
  userId: string,
  entry: { seq: number; total: number; amount: number },
): Promise<{ debit: number; gap: number; counted: boolean }> {
  const row = await allowanceOf(tx, activationId);
  const lastSeq = row?.lastSeq ?? 0;
  const reported = row?.reported ?? 0;
  // Already counted: sent before, or debited from a heartbeat's chain head.
  if (entry.total <= reported) return { debit: 0, gap: 0, counted: true };
  const gap = Math.max(0, entry.total - entry.amount - reported);
  const next = entry.total;
  if (row) {
    await tx
      .update(offlineAllowances)
      .set({ reported: next, lastSeq: Math.max(entry.seq, lastSeq) })
      .where(eq(offlineAllowances.activationId, activationId));
  } else {
    await tx
      .insert(offlineAllowances)
      .values({ activationId, userId, creditLimit: 0, reported: next, lastSeq: entry.seq, expiresAt: new Date() });
  }
  return { debit: entry.amount, gap, counted: false };
}
