import type { Preflight } from '@vmp/shared';
import type { Output, OutputStatus } from '@vmp/shared/api';
import { and, asc, count, desc, eq, inArray, lte, sql } from 'drizzle-orm';
import { ConflictError, NotFoundError } from './errors.ts';
import { now, type RepoContext } from './repo.ts';
import { toOutput } from './rows.ts';
import * as t from './schema.ts';

export interface OutputFilter {
  projectId?: string;
  jobId?: string;
  status?: OutputStatus;
  offset?: number;
  limit?: number;
}

export type OutputPatch = Partial<
  Pick<Output, 'status' | 'attempts' | 'error' | 'progress' | 'duration'> & {
    notBefore: number;
    worker: string | null;
    preflight: Preflight | null;
    /** dHashes (hex) of the file's opening. */
    opening: string[] | null;
  }
>;

/** One row per video a job makes; the queue moves them between states. */
export class OutputsRepo {
  constructor(private readonly ctx: RepoContext) {}

  get(id: string): Output {
    return toOutput(this.row(id));
  }

  row(id: string) {
    const row = this.ctx.db.select().from(t.outputs).where(eq(t.outputs.id, id)).get();
    if (!row) throw new NotFoundError(`Output ${id} does not exist.`, { outputId: id });
    return row;
  }

  list(filter: OutputFilter = {}): { items: Output[]; total: number } {
    const { db } = this.ctx;
    const where = and(
      filter.projectId ? eq(t.outputs.projectId, filter.projectId) : undefined,
      filter.jobId ? eq(t.outputs.jobId, filter.jobId) : undefined,
      filter.status ? eq(t.outputs.status, filter.status) : undefined,
    );
    const total = db.select({ n: count() }).from(t.outputs).where(where).get()?.n ?? 0;
    // Only the outputs' columns: a job's plan can be megabytes (per-output codes) and is not wanted here.
    const items = db
      .select({ outputs: t.outputs })
      .from(t.outputs)
      .innerJoin(t.jobs, eq(t.jobs.id, t.outputs.jobId))
      .where(where)
      .orderBy(desc(t.jobs.createdAt), asc(t.outputs.index))
      .limit(filter.limit ?? 100)
      .offset(filter.offset ?? 0)
      .all()
      .map((r) => toOutput(r.outputs));
    return { items, total };
  }

  /** A job's rows as stored (the pre-flight's hashes included), in index order. */
  rowsOf(jobId: string) {
    return this.ctx.db.select().from(t.outputs).where(eq(t.outputs.jobId, jobId)).orderBy(asc(t.outputs.index)).all();
  }

  withStatus(status: OutputStatus, jobId?: string): Output[] {
    return this.ctx.db
      .select()
      .from(t.outputs)
      .where(and(eq(t.outputs.status, status), jobId ? eq(t.outputs.jobId, jobId) : undefined))
      .orderBy(asc(t.outputs.index))
      .all()
      .map(toOutput);
  }

  /** Next PENDING outputs whose backoff has passed: oldest job first, then index order. */
  nextPending(limit: number, at: number, excludeIds: ReadonlySet<string> = new Set()): Output[] {
    if (limit <= 0) return [];
    return this.ctx.db
      .select()
      .from(t.outputs)
      .innerJoin(t.jobs, eq(t.jobs.id, t.outputs.jobId))
      .where(and(eq(t.outputs.status, 'pending'), lte(t.outputs.notBefore, at)))
      .orderBy(asc(t.jobs.createdAt), asc(t.outputs.index))
      .limit(limit + excludeIds.size)
      .all()
      .map((r) => toOutput(r.outputs))
      .filter((o) => !excludeIds.has(o.id))
      .slice(0, limit);
  }

  /** Earliest notBefore among PENDING outputs still waiting for their backoff, or null. */
  nextRetryAt(at: number): number | null {
    const row = this.ctx.db
      .select({ at: sql<number | null>`min(${t.outputs.notBefore})` })
      .from(t.outputs)
      .where(and(eq(t.outputs.status, 'pending'), sql`${t.outputs.notBefore} > ${at}`))
      .get();
    return row?.at ?? null;
  }

  update(id: string, patch: OutputPatch): Output {
    this.ctx.db
      .update(t.outputs)
      .set({ ...patch, updatedAt: now() })
      .where(eq(t.outputs.id, id))
      .run();
    return this.get(id);
  }

  /** Moves an output between states only if it is still in `from` (guards against races with cancel). */
  transition(id: string, from: OutputStatus[], patch: OutputPatch): Output | null {
    const result = this.ctx.db
      .update(t.outputs)
      .set({ ...patch, updatedAt: now() })
      .where(and(eq(t.outputs.id, id), inArray(t.outputs.status, from)))
      .run();
    return result.changes > 0 ? this.get(id) : null;
  }

  /**
   * Names the farm worker of the output being rendered at `path` (a path belongs to one output: one folder per job).
   * Returns the outputs it changed (none when the worker was already recorded).
   */
  recordWorker(path: string, worker: string | null): Output[] {
    return this.ctx.db
      .update(t.outputs)
      .set({ worker, updatedAt: now() })
      .where(
        and(eq(t.outputs.path, path), eq(t.outputs.status, 'processing'), sql`${t.outputs.worker} is not ${worker}`),
      )
      .returning()
      .all()
      .map(toOutput);
  }

  /**
   * Cancels every pending or processing output of a job in one statement (a job of 10,000 outputs must not hold the
   * main thread for a statement and an event per row). Returns how many changed and the ones that were processing,
   * now cancelled, whose renders the caller stops.
   */
  cancelOpen(jobId: string): { changed: number; wereProcessing: Output[] } {
    return this.ctx.transaction(() => {
      const processing = this.ctx.sqlite
        .prepare("select id from outputs where job_id = ? and status = 'processing'")
        .pluck()
        .all(jobId) as string[];
      const { changes } = this.ctx.sqlite
        .prepare(
          "update outputs set status = 'cancelled', progress = 0, updated_at = ? where job_id = ? and status in ('pending', 'processing')",
        )
        .run(now(), jobId);
      return { changed: changes, wereProcessing: processing.map((id) => this.get(id)) };
    });
  }

  /** Puts every failed or cancelled output of a job back to pending from zero attempts, in one statement. */
  requeueClosed(jobId: string): number {
    return this.ctx.sqlite
      .prepare(
        "update outputs set status = 'pending', attempts = 0, error = null, progress = 0, not_before = 0, preflight = null, opening = null, updated_at = ? where job_id = ? and status in ('failed', 'cancelled')",
      )
      .run(now(), jobId).changes;
  }

  /** Outputs of a job in any of these states (a count, never the rows). */
  countOf(jobId: string, statuses: readonly OutputStatus[]): number {
    return (
      this.ctx.db
        .select({ n: count() })
        .from(t.outputs)
        .where(and(eq(t.outputs.jobId, jobId), inArray(t.outputs.status, [...statuses])))
        .get()?.n ?? 0
    );
  }

  count(status: OutputStatus): number {
    return this.ctx.db.select({ n: count() }).from(t.outputs).where(eq(t.outputs.status, status)).get()?.n ?? 0;
  }

  assertStatus(output: Output, allowed: OutputStatus[], action: string): void {
    if (!allowed.includes(output.status)) {
      throw new ConflictError(
        `Output #${output.index + 1} is ${output.status}; only ${allowed.join(' or ')} outputs can be ${action}.`,
        { outputId: output.id, status: output.status },
      );
    }
  }
}
