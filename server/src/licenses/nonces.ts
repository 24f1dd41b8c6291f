import { ReplayedRequestError } from '@vmp/shared/http';
import { lt } from 'drizzle-orm';
import type { Db } from '../db/index.ts';
import { requestNonces } from '../db/schema.ts';

const SWEEP_EVERY_MS = 60_000;
const lastSweep = new WeakMap<Db, number>();

/**
 * Records a nonce until `expiresAt`; a nonce already recorded is a replay. The primary key makes this
 * hold across processes sharing the database.
 */
export async function consumeNonce(db: Db, nonce: string, expiresAt: Date): Promise<void> {
  const inserted = await db
    .insert(requestNonces)
    .values({ nonce, expiresAt })
    .onConflictDoNothing()
    .returning({ nonce: requestNonces.nonce });
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
