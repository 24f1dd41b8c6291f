import { createHmac, timingSafeEqual } from 'node:crypto';
import type Database from 'better-sqlite3';

/**
 * The usage chain: every usage entry of an activation gets the next number, the running total of the amounts and
 * a MAC (machine secret) over itself and the previous entry's MAC. An edited or deleted row breaks the chain here;
 * the server, which records the last number and total it was sent, charges what a gap added up to.
 */
export interface ChainKey {
  activationId: string;
  secret: string;
}

interface ChainRow {
  entry_id: string;
  amount: number;
  at: string;
  seq: number;
  total: number;
  prev: string;
  mac: string;
}

/** Columns added to `charges` (older ledgers get them at open). */
export function migrateChain(db: Database.Database): void {
  const have = new Set((db.prepare('PRAGMA table_info(charges)').all() as { name: string }[]).map((c) => c.name));
  for (const [name, type] of [
    ['activation', 'TEXT'],
    ['seq', 'INTEGER'],
    ['total', 'INTEGER'],
    ['prev', 'TEXT'],
    ['mac', 'TEXT'],
  ]) {
    if (!have.has(name!)) db.exec(`ALTER TABLE charges ADD COLUMN ${name} ${type}`);
  }
  db.exec('CREATE UNIQUE INDEX IF NOT EXISTS charges_chain ON charges (activation, seq)');
}

function macOf(key: ChainKey, row: Omit<ChainRow, 'mac'>): string {
  return createHmac('sha256', key.secret)
    .update(JSON.stringify([key.activationId, row.seq, row.entry_id, row.amount, row.at, row.total, row.prev]))
    .digest('base64url');
}

function head(db: Database.Database, activationId: string): { seq: number; total: number; mac: string } {
  const row = db
    .prepare('SELECT seq, total, mac FROM charges WHERE activation = ? ORDER BY seq DESC LIMIT 1')
    .get(activationId) as { seq: number; total: number; mac: string } | undefined;
  return row ?? { seq: 0, total: 0, mac: '' };
}

/** Appends the usage row `entryId` to the chain (call inside the transaction that made it a usage row). */
export function chainEntry(db: Database.Database, key: ChainKey, entryId: string): void {
  const row = db.prepare('SELECT amount, at, seq FROM charges WHERE entry_id = ?').get(entryId) as
    | { amount: number; at: string; seq: number | null }
    | undefined;
  if (!row || row.seq !== null) return;
  const last = head(db, key.activationId);
  const next = {
    entry_id: entryId,
    amount: row.amount,
    at: row.at,
    seq: last.seq + 1,
    total: last.total + row.amount,
    prev: last.mac,
  };
  const mac = macOf(key, next);
  db.prepare('UPDATE charges SET activation = ?, seq = ?, total = ?, prev = ?, mac = ? WHERE entry_id = ?').run(
    key.activationId,
    next.seq,
    next.total,
    next.prev,
    mac,
    entryId,
  );
  db.prepare('INSERT OR REPLACE INTO kv (key, value) VALUES (?, ?)').run(
    HEAD_KEY,
    JSON.stringify({
      activation: key.activationId,
      seq: next.seq,
      total: next.total,
      mac: headMac(key, next.seq, mac),
    }),
  );
}

/** The last number handed out, sealed apart from the rows: deleting rows from the end shows against it. */
const HEAD_KEY = 'usage.chainHead';
const headMac = (key: ChainKey, seq: number, mac: string) =>
  createHmac('sha256', key.secret)
    .update(JSON.stringify(['head', key.activationId, seq, mac]))
    .digest('base64url');

/** The chain's total so far, and whether every entry is there and unaltered (numbers 1…n, links, MACs). */
export function chainState(db: Database.Database, key: ChainKey): { total: number; intact: boolean } {
  const rows = db
    .prepare('SELECT entry_id, amount, at, seq, total, prev, mac FROM charges WHERE activation = ? ORDER BY seq')
    .all(key.activationId) as ChainRow[];
  let prev = '';
  let total = 0;
  let intact = true;
  rows.forEach((row, i) => {
    const want = Buffer.from(macOf(key, row));
    const got = Buffer.from(row.mac ?? '');
    const sealed = want.length === got.length && timingSafeEqual(want, got);
    if (row.seq !== i + 1 || row.prev !== prev || row.total !== total + row.amount || !sealed) intact = false;
    prev = row.mac;
    total = row.total;
  });
  // Rows deleted from the end leave a shorter chain that verifies: the sealed head (kept apart) catches that.
  const stored = storedHead(db, key);
  if (rows.length > 0) {
    const last = rows[rows.length - 1]!;
    if (stored?.mac !== headMac(key, last.seq, last.mac)) intact = false;
  } else if (stored) {
    intact = false; // Every row gone, the head still there.
  }
  return { total: rows.length ? rows[rows.length - 1]!.total : 0, intact };
}

function storedHead(db: Database.Database, key: ChainKey) {
  const row = db.prepare('SELECT value FROM kv WHERE key = ?').get(HEAD_KEY) as { value: string } | undefined;
  const head = row ? (JSON.parse(row.value) as { activation?: string; seq: number; total: number; mac: string }) : null;
  return head && head.activation === key.activationId ? head : null;
}

/**
 * How far the chain has got (number, running total) for the heartbeat: the larger of the rows and the head kept
 * apart, so deleting rows does not lower what the server is told (and debits).
 */
export function chainHead(db: Database.Database, key: ChainKey): { seq: number; total: number } {
  const rows = head(db, key.activationId);
  const stored = storedHead(db, key);
  return { seq: Math.max(rows.seq, stored?.seq ?? 0), total: Math.max(rows.total, stored?.total ?? 0) };
}
