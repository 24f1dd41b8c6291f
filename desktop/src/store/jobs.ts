import { randomUUID } from 'node:crypto';
import { RenderSettings } from '@vmp/shared';
import type { Job } from '@vmp/shared/api';
import { and, count, desc, eq, getTableColumns, inArray, sql } from 'drizzle-orm';
import { NotFoundError } from './errors.ts';
import { deriveJobStatus } from './job-status.ts';
import { now, type RepoContext } from './repo.ts';
import { type JobRow, type JobRowLite, type OutputCounts, type StoredNearDuplicates, toJob } from './rows.ts';
import * as t from './schema.ts';

export interface NewJob {
  projectId: string;
  settings: RenderSettings;
  seed: number;
  plan: unknown;
  outputDir: string;
  outputs: { index: number; clipIds: string[]; path: string; duration: number | null }[];
}

/** Parsed plans kept by a store (the jobs a queue is rendering). */
const KEPT_PLANS = 8;

const { plan: _plan, ...LITE_COLUMNS } = getTableColumns(t.jobs);

/** Jobs; a job is created with all its outputs in one transaction; its status is derived from them. */
export class JobsRepo {
  private readonly plans = new Map<string, unknown>();

  constructor(private readonly ctx: RepoContext) {}

  /**
   * The job and every output row in one transaction: a crash leaves the job whole or absent. NotFoundError when the
   * project is gone (deleted while the job was planned).
   */
  create(input: NewJob): string {
    const { db } = this.ctx;
    const id = randomUUID();
    const at = now();
    this.ctx.transaction(() => {
      if (!db.select({ id: t.projects.id }).from(t.projects).where(eq(t.projects.id, input.projectId)).get()) {
        throw new NotFoundError(`Project ${input.projectId} does not exist.`, { projectId: input.projectId });
      }
      db.insert(t.jobs)
        .values({
          id,
          projectId: input.projectId,
          status: 'queued',
          settings: input.settings,
          seed: input.seed,
          plan: input.plan,
          outputDir: input.outputDir,
          total: input.outputs.length,
          createdAt: at,
          finishedAt: null,
          // Made for placements: every file is checked before the job is done. (Left out otherwise, as before.)
          ...(input.settings.placements?.length ? { checksOwed: 1 } : {}),
        })
        .run();
      this.insertOutputs(id, input.projectId, input.outputs, at);
    });
    return id;
  }

  /** One prepared statement for every row: drizzle built a statement per row, about 0.4-1.7 ms a row. */
  private insertOutputs(jobId: string, projectId: string, outputs: NewJob['outputs'], at: number): void {
    const insert = this.ctx.sqlite.prepare(
      `INSERT INTO outputs (id, job_id, project_id, idx, clip_ids, status, attempts, error, progress, path, duration,
        not_before, updated_at) VALUES (?, ?, ?, ?, ?, 'pending', 0, NULL, 0, ?, ?, 0, ?)`,
    );
    for (const o of outputs) {
      insert.run(randomUUID(), jobId, projectId, o.index, JSON.stringify(o.clipIds), o.path, o.duration, at);
    }
  }

  /** The job's row without its plan: what refreshing, pausing or finding its folder needs (see withPlan). */
  row(id: string): JobRowLite {
    const row = this.ctx.db.select(LITE_COLUMNS).from(t.jobs).where(eq(t.jobs.id, id)).get();
    if (!row) throw new NotFoundError(`Job ${id} does not exist.`, { jobId: id });
    return row;
  }

  /**
   * The job's row with its plan. A plan never changes and can be megabytes (every output's codes on a 10,000-output
   * job), so the last few are kept parsed: the queue reads one for every batch it starts.
   */
  withPlan(id: string): JobRow {
    const row = this.row(id);
    let plan = this.plans.get(id);
    if (plan === undefined) {
      plan = this.ctx.db.select({ plan: t.jobs.plan }).from(t.jobs).where(eq(t.jobs.id, id)).get()?.plan;
      this.plans.set(id, plan);
      if (this.plans.size > KEPT_PLANS) this.plans.delete(this.plans.keys().next().value!);
    }
    return { ...row, plan };
  }

  /** `counts`: the job's output counts when the caller has just read them (they cost a scan of its outputs). */
  get(id: string, etaSeconds: number | null = null, counts?: OutputCounts): Job {
    return toJob(this.row(id), counts ?? this.outputCounts(id), etaSeconds);
  }

  list(projectId: string): Job[] {
    return this.ctx.db
      .select(LITE_COLUMNS)
      .from(t.jobs)
      .where(eq(t.jobs.projectId, projectId))
      .orderBy(desc(t.jobs.createdAt))
      .all()
      .map((row) => toJob(row, this.outputCounts(row.id)));
  }

  usesFolder(outputDir: string): boolean {
    return (
      this.ctx.db.select({ id: t.jobs.id }).from(t.jobs).where(eq(t.jobs.outputDir, outputDir)).get() !== undefined
    );
  }

  /** Jobs that still have outputs to render. */
  openIds(): string[] {
    return this.ctx.db
      .selectDistinct({ id: t.outputs.jobId })
      .from(t.outputs)
      .where(inArray(t.outputs.status, ['pending', 'processing']))
      .all()
      .map((r) => r.id);
  }

  outputCounts(jobId: string): OutputCounts {
    const rows = this.ctx.db
      .select({ status: t.outputs.status, n: count(), progress: sql<number>`coalesce(sum(${t.outputs.progress}), 0)` })
      .from(t.outputs)
      .where(eq(t.outputs.jobId, jobId))
      .groupBy(t.outputs.status)
      .all();
    const counts: OutputCounts = {
      pending: 0,
      processing: 0,
      completed: 0,
      failed: 0,
      cancelled: 0,
      processingProgress: 0,
    };
    for (const r of rows) {
      counts[r.status] = r.n;
      if (r.status === 'processing') counts.processingProgress = r.progress;
    }
    return counts;
  }

  /** Recomputes a job's status from its outputs; `changed` when it did, with the counts it was derived from. */
  refreshStatus(jobId: string, queuePaused: boolean): { changed: boolean; counts: OutputCounts } {
    const row = this.row(jobId);
    const counts = this.outputCounts(jobId);
    const status = deriveJobStatus(counts, queuePaused, (row.checksOwed ?? 0) > 0);
    if (status === row.status) return { changed: false, counts };
    const finished = status === 'completed' || status === 'failed' || status === 'cancelled';
    this.ctx.db
      .update(t.jobs)
      .set({ status, finishedAt: finished ? (row.finishedAt ?? now()) : null })
      .where(eq(t.jobs.id, jobId))
      .run();
    return { changed: true, counts };
  }

  /** Jobs whose checks are owed (the queue finishes those whose outputs are all settled). */
  owingChecks(): string[] {
    return this.ctx.db
      .select({ id: t.jobs.id })
      .from(t.jobs)
      .where(sql`${t.jobs.checksOwed} > 0`)
      .all()
      .map((r) => r.id);
  }

  /** Outputs of a job made for placements go back to the queue: its checks are owed again (a new generation). */
  reopenChecks(jobId: string): void {
    const row = this.row(jobId);
    if (!RenderSettings.safeParse(row.settings).data?.placements.length) return;
    this.ctx.db
      .update(t.jobs)
      .set({ checksOwed: sql`coalesce(${t.jobs.checksOwed}, 0) + 1`, nearDuplicates: null })
      .where(eq(t.jobs.id, jobId))
      .run();
  }

  /**
   * Stores the near-duplicate report and clears the debt, unless outputs were retried since the checks began
   * (`generation` no longer current): then the job is checked again when it next finishes. True when stored.
   */
  finishChecks(jobId: string, generation: number, report: StoredNearDuplicates): boolean {
    return (
      this.ctx.db
        .update(t.jobs)
        .set({ checksOwed: 0, nearDuplicates: report })
        .where(and(eq(t.jobs.id, jobId), eq(t.jobs.checksOwed, generation)))
        .run().changes > 0
    );
  }
}
