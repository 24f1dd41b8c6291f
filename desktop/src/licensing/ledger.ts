import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import type { UsageEntry } from '@vmp/shared/http';
import Database from 'better-sqlite3';
import { type ChainKey, chainEntry, chainHead, chainState, migrateChain } from './usage-chain.ts';

/** How a licensed job pays: a server hold committed at its end, or offline usage reported later. */
export type JobMode = 'reserved' | 'offline';
/** open: outputs still completing; settling: commit amount fixed, not yet acknowledged; done: the server has it. */
export type JobState = 'open' | 'settling' | 'done';

export interface LedgerJob {
  jobId: string;
  mode: JobMode;
  reservationId: string | null;
  amount: number;
  state: JobState;
  used: number | null;
}

const SCHEMA = `
CREATE TABLE IF NOT EXISTS kv (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS jobs (
  job_id TEXT PRIMARY KEY, mode TEXT NOT NULL, reservation_id TEXT, amount INTEGER NOT NULL,
  state TEXT NOT NULL DEFAULT 'open', used INTEGER, created_at INTEGER NOT NULL
);
CREATE TABLE IF NOT EXISTS charges (
  output_id TEXT PRIMARY KEY, job_id TEXT NOT NULL, entry_id TEXT NOT NULL UNIQUE,
  kind TEXT NOT NULL, amount INTEGER NOT NULL, at TEXT NOT NULL, sent INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX IF NOT EXISTS charges_unsent ON charges (sent, kind);
CREATE TABLE IF NOT EXISTS sync_projects (
  project_id TEXT PRIMARY KEY, local_id TEXT, version INTEGER, synced_hash TEXT, deleted INTEGER NOT NULL DEFAULT 0,
  conflict TEXT
);
`;

interface JobRow {
  job_id: string;
  mode: JobMode;
  reservation_id: string | null;
  amount: number;
  state: JobState;
  used: number | null;
}

const toJob = (r: JobRow): LedgerJob => ({
  jobId: r.job_id,
  mode: r.mode,
  reservationId: r.reservation_id,
  amount: r.amount,
  state: r.state,
  used: r.used,
});

/**
 * The credits ledger of this machine, in SQLite (WAL, synchronous=FULL): which jobs are paid how, and one row per
 * completed output. An output's row is keyed by its id, so recording it twice (event + restart reconciliation)
 * charges it once; offline entries carry a stable entry id, so the server debits each once however often it is sent.
 */
export class CreditLedger {
  readonly db: Database.Database;

  constructor(path: string) {
    mkdirSync(dirname(path), { recursive: true });
    this.db = new Database(path);
    this.db.pragma('journal_mode = WAL');
    this.db.pragma('synchronous = FULL');
    this.db.pragma('busy_timeout = 5000');
    this.db.exec(SCHEMA);
    migrateChain(this.db);
  }

  /** The activation usage entries are chained under (usage-chain.ts); set by Licensing while activated. */
  chainKey: ChainKey | null = null;

  /** Chain total and integrity of the current activation. */
  chain(): { total: number; intact: boolean } {
    return this.chainKey ? chainState(this.db, this.chainKey) : { total: 0, intact: true };
  }

  /** Number and running total of the chain's last entry (sent with each heartbeat), or undefined before any. */
  chainHead(): { seq: number; total: number } | undefined {
    if (!this.chainKey) return undefined;
    const head = chainHead(this.db, this.chainKey);
    return head.seq > 0 ? head : undefined;
  }

  /** Credits open offline jobs may still use (their amount less what their outputs already recorded). */
  offlineCommitted(): number {
    const { n } = this.db
      .prepare(
        `SELECT coalesce(sum(max(j.amount - coalesce((SELECT sum(c.amount) FROM charges c WHERE c.job_id = j.job_id), 0), 0)), 0) AS n
         FROM jobs j WHERE j.mode = 'offline' AND j.state = 'open'`,
      )
      .get() as { n: number };
    return n;
  }

  private chainUsage(entryId: string): void {
    if (this.chainKey) chainEntry(this.db, this.chainKey, entryId);
  }

  close(): void {
    this.db.close();
  }

  get<T>(key: string): T | undefined {
    const row = this.db.prepare('SELECT value FROM kv WHERE key = ?').get(key) as { value: string } | undefined;
    return row ? (JSON.parse(row.value) as T) : undefined;
  }

  set(key: string, value: unknown): void {
    if (value === undefined) this.db.prepare('DELETE FROM kv WHERE key = ?').run(key);
    else this.db.prepare('INSERT OR REPLACE INTO kv (key, value) VALUES (?, ?)').run(key, JSON.stringify(value));
  }

  openJob(job: { jobId: string; mode: JobMode; reservationId: string | null; amount: number }): void {
    this.db
      .prepare(
        'INSERT OR IGNORE INTO jobs (job_id, mode, reservation_id, amount, state, created_at) VALUES (?, ?, ?, ?, ?, ?)',
      )
      .run(job.jobId, job.mode, job.reservationId, job.amount, 'open', Date.now());
  }

  /** The reservation was made under a provisional key before the queue gave the job its id. */
  renameJob(from: string, to: string): void {
    this.db.prepare('UPDATE jobs SET job_id = ? WHERE job_id = ?').run(to, from);
  }

  job(jobId: string): LedgerJob | undefined {
    const row = this.db.prepare('SELECT * FROM jobs WHERE job_id = ?').get(jobId) as JobRow | undefined;
    return row ? toJob(row) : undefined;
  }

  jobs(state?: JobState): LedgerJob[] {
    const rows = (
      state
        ? this.db.prepare('SELECT * FROM jobs WHERE state = ?').all(state)
        : this.db.prepare('SELECT * FROM jobs').all()
    ) as JobRow[];
    return rows.map(toJob);
  }

  /**
   * One completed output of a licensed job. Returns false when it was recorded before (or the job is not licensed).
   * While the job's hold is open the output is paid by its commit; afterwards (hold settled, or offline) it becomes
   * a usage entry.
   */
  recordOutput(outputId: string, jobId: string, amount: number, at = new Date()): boolean {
    return this.db.transaction(() => {
      const job = this.job(jobId);
      if (!job) return false;
      const kind = job.mode === 'reserved' && job.state === 'open' ? 'reservation' : 'usage';
      const res = this.db
        .prepare(
          'INSERT OR IGNORE INTO charges (output_id, job_id, entry_id, kind, amount, at) VALUES (?, ?, ?, ?, ?, ?)',
        )
        .run(outputId, jobId, `out-${outputId}`, kind, amount, at.toISOString());
      if (res.changes > 0 && kind === 'usage') this.chainUsage(`out-${outputId}`);
      return res.changes > 0;
    })();
  }

  charged(outputId: string): boolean {
    return Boolean(this.db.prepare('SELECT 1 FROM charges WHERE output_id = ?').get(outputId));
  }

  /** Fixes what the job's commit will debit (its outputs recorded so far); later outputs become usage entries. */
  beginSettle(jobId: string): LedgerJob | undefined {
    return this.db.transaction(() => {
      const job = this.job(jobId);
      if (job?.state !== 'open') return job;
      if (job.mode === 'offline') {
        this.db.prepare("UPDATE jobs SET state = 'done' WHERE job_id = ?").run(jobId);
        return this.job(jobId);
      }
      const { used } = this.db
        .prepare("SELECT coalesce(sum(amount), 0) AS used FROM charges WHERE job_id = ? AND kind = 'reservation'")
        .get(jobId) as { used: number };
      this.db.prepare("UPDATE jobs SET state = 'settling', used = ? WHERE job_id = ?").run(used, jobId);
      return this.job(jobId);
    })();
  }

  /** The server has the commit (or release): the job's reservation charges are paid. */
  settled(jobId: string): void {
    this.db.transaction(() => {
      this.db.prepare("UPDATE jobs SET state = 'done' WHERE job_id = ?").run(jobId);
      this.db.prepare("UPDATE charges SET sent = 1 WHERE job_id = ? AND kind = 'reservation'").run(jobId);
    })();
  }

  /** The hold expired before it was committed: its outputs are reported as usage instead (same entry ids). */
  holdLost(jobId: string): void {
    this.db.transaction(() => {
      this.db.prepare("UPDATE jobs SET state = 'done' WHERE job_id = ?").run(jobId);
      const ids = this.db
        .prepare("SELECT entry_id FROM charges WHERE job_id = ? AND kind = 'reservation' ORDER BY rowid")
        .all(jobId) as { entry_id: string }[];
      this.db.prepare("UPDATE charges SET kind = 'usage' WHERE job_id = ? AND kind = 'reservation'").run(jobId);
      for (const { entry_id } of ids) this.chainUsage(entry_id);
    })();
  }

  pendingEntries(limit = 1000): UsageEntry[] {
    const rows = this.db
      .prepare(
        "SELECT entry_id, amount, at, job_id, seq, total FROM charges WHERE sent = 0 AND kind = 'usage' ORDER BY activation, seq LIMIT ?",
      )
      .all(limit) as {
      entry_id: string;
      amount: number;
      at: string;
      job_id: string;
      seq: number | null;
      total: number | null;
    }[];
    return rows.map((r) => ({
      id: r.entry_id,
      amount: r.amount,
      at: r.at,
      jobId: r.job_id,
      ...(r.seq !== null && r.total !== null ? { seq: r.seq, total: r.total } : {}),
    }));
  }

  /** `state` 1: the server has them; -1: the server refused them for good (dated after a suspension). */
  markSent(entryIds: string[], state: 1 | -1 = 1): void {
    const stmt = this.db.prepare('UPDATE charges SET sent = ? WHERE entry_id = ?');
    this.db.transaction(() => {
      for (const id of entryIds) stmt.run(state, id);
    })();
  }

  /** Credits used on this machine that the server has not debited yet. */
  pendingUsage(): number {
    const { n } = this.db
      .prepare(
        `SELECT coalesce(sum(c.amount), 0) AS n FROM charges c JOIN jobs j ON j.job_id = c.job_id
         WHERE c.sent = 0 AND (c.kind = 'usage' OR j.state = 'settling')`,
      )
      .get() as { n: number };
    return n;
  }

  /** Outputs charged per job (tests, support). */
  chargedCount(jobId: string): number {
    return (this.db.prepare('SELECT count(*) AS n FROM charges WHERE job_id = ?').get(jobId) as { n: number }).n;
  }
}
