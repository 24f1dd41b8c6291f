import { ReplayedRequestError } from '@vmp/shared/http';
import { sql } from 'drizzle-orm';
import { type Db, prepared } from '../db/index.ts';
import { requestNonces } from '../db/schema.ts';

/**
 * Records a nonce until `expiresAt`; a nonce already recorded is a replay. The primary key makes this
 * hold across processes sharing the database.
 */
export async function consumeNonce(db: Db, nonce: string, expiresAt: Date): Promise<void> {
  const insert = prepared(db, 'consume_nonce', (pdb, name) =>
    pdb
      .insert(requestNonces)
      .values({ nonce: sql.placeholder('nonce'), expiresAt: sql.placeholder('expiresAt') })
      .onConflictDoNothing()
      .returning({ nonce: requestNonces.nonce })
      .prepare(name),
  );
  const inserted = await insert.execute({ nonce, expiresAt });
  if (inserted.length === 0) throw new ReplayedRequestError();
}

/**
 * Deletes nonces past their expiry (their timestamps can no longer pass the window), in batches so no
 * statement runs long. SKIP LOCKED: several server processes sweeping at once do not wait on each other.
 * Returns how many were deleted.
 */
export async function sweepExpiredNonces(db: Db, now = new Date(), batch = 5000): Promise<number> {
  let total = 0;
  for (;;) {
    const result = await db.execute(sql`
      with gone as (
        delete from ${requestNonces} where ${requestNonces.nonce} in (
          select ${requestNonces.nonce} from ${requestNonces} where ${requestNonces.expiresAt} < ${now}
          limit ${batch} for update skip locked)
        returning 1)
      select count(*)::int as n from gone`);
    // node-postgres and PGlite both answer with { rows }.
    const deleted = Number((result as unknown as { rows: { n: number }[] }).rows[0]?.n ?? 0);
    total += deleted;
    if (deleted < batch) return total;
  }
}

/**
 * Sweeps every `everyMs` on a timer, never on a request's path (at 1,000 signed requests/s that is 10,000
 * rows per 10 s). Returns a stop function.
 */
export function startNonceSweeper(db: Db, onError: (error: Error) => void, everyMs = 10_000): () => void {
  let running = false;
  const timer = setInterval(() => {
    if (running) return;
    running = true;
    sweepExpiredNonces(db)
      .catch(onError)
      .finally(() => {
        running = false;
      });
  }, everyMs);
  timer.unref();
  return () => clearInterval(timer);
}
