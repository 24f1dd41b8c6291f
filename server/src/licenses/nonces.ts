import { ReplayedRequestError } from '@vmp/shared/http';
import { lt, sql } from 'drizzle-orm';
import { type Db, prepared } from '../db/index.ts';
import { requestNonces } from '../db/schema.ts';

const SWEEP_EVERY_MS = 60_000;
const lastSweep = new WeakMap<Db, number>();

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
  const now = Date.now();
  if (now - (lastSweep.get(db) ?? 0) > SWEEP_EVERY_MS) {
    lastSweep.set(db, now);
    // Expired nonces can no longer pass the timestamp check; dropping them keeps the table small.
    void db
      .delete(requestNonces)
      .where(lt(requestNonces.expiresAt, new Date(now)))
      .catch(() => {});
  }
}
