import { randomUUID } from 'node:crypto';
import type { ClipProblem, MediaInfo, MixMode, RenderSettings } from '@vmp/shared';
import type {
  Clip,
  ClipStatus,
  Group,
  Job,
  Output,
  OutputStatus,
  Project,
  ProjectSummary,
  Rule,
} from '@vmp/shared/api';
import { and, asc, count, desc, eq, inArray, lte, sql } from 'drizzle-orm';
import { type OpenedDb, openDb } from './db.ts';
import { ConflictError, NotFoundError, ValidationError } from './errors.ts';
import { deriveJobStatus } from './job-status.ts';
import { type OutputCounts, toClip, toGroup, toJob, toOutput, toProject, toRule } from './rows.ts';
import * as t from './schema.ts';

export interface NewClip {
  path: string;
  name: string;
  hash?: string | null;
  size?: number;
  mtimeMs?: number | null;
  info?: MediaInfo | null;
  problems?: ClipProblem[];
  status: ClipStatus;
  thumbnail?: string | null;
}

export type ClipPatch = Partial<Omit<NewClip, 'name'>> & { name?: string };

export interface NewJob {
  projectId: string;
  settings: RenderSettings;
  seed: number;
  plan: unknown;
  outputDir: string;
  outputs: { index: number; clipIds: string[]; path: string; duration: number | null }[];
}

export interface OutputFilter {
  projectId?: string;
  jobId?: string;
  status?: OutputStatus;
  offset?: number;
  limit?: number;
}

export type OutputPatch = Partial<
  Pick<Output, 'status' | 'attempts' | 'error' | 'progress' | 'duration'> & { notBefore: number }
>;

const now = () => Date.now();

/** The app's state in one SQLite file. Synchronous (better-sqlite3): every method is one short transaction. */
export class Store {
  readonly opened: OpenedDb;
  private readonly db: OpenedDb['db'];

  constructor(opened: OpenedDb) {
    this.opened = opened;
    this.db = opened.db;
  }

  static open(dataDir: string, options: { migrationsDir?: string } = {}): Store {
    return new Store(openDb(dataDir, options));
  }

  close(): void {
    this.opened.close();
  }

  transaction<T>(fn: () => T): T {
    return this.opened.sqlite.transaction(fn)();
  }

  // ---- settings (key → JSON value)

  getSetting<T>(key: string): T | undefined {
    const row = this.db.select().from(t.settings).where(eq(t.settings.key, key)).get();
    return row ? (row.value as T) : undefined;
  }

  setSetting(key: string, value: unknown): void {
    this.db
      .insert(t.settings)
      .values({ key, value })
      .onConflictDoUpdate({ target: t.settings.key, set: { value } })
      .run();
  }

  // ---- projects

  createProject(input: {
    name: string;
    mode: MixMode;
    outputDir: string;
    settings: RenderSettings;
    groups?: string[];
  }): Project {
    const id = randomUUID();
    const at = now();
    return this.transaction(() => {
      this.db
        .insert(t.projects)
        .values({
          id,
          name: input.name,
          mode: input.mode,
          settings: input.settings,
          outputDir: input.outputDir,
          createdAt: at,
          updatedAt: at,
        })
        .run();
      (input.groups ?? []).forEach((name, position) => {
        this.db.insert(t.groups).values({ id: randomUUID(), projectId: id, name, position }).run();
      });
      return this.getProject(id);
    });
  }

  getProject(id: string): Project {
    const row = this.db.select().from(t.projects).where(eq(t.projects.id, id)).get();
    if (!row) throw new NotFoundError(`Project ${id} does not exist (it may have been deleted).`, { projectId: id });
    return toProject(row);
  }

  listProjects(): ProjectSummary[] {
    const rows = this.db.select().from(t.projects).orderBy(desc(t.projects.updatedAt)).all();
    const clipCounts = new Map(
      this.db
        .select({ id: t.clips.projectId, n: count() })
        .from(t.clips)
        .groupBy(t.clips.projectId)
        .all()
        .map((r) => [r.id, r.n]),
    );
    const outputCounts = new Map(
      this.db
        .select({ id: t.outputs.projectId, n: count() })
        .from(t.outputs)
        .where(eq(t.outputs.status, 'COMPLETED'))
        .groupBy(t.outputs.projectId)
        .all()
        .map((r) => [r.id, r.n]),
    );
    return rows.map((row) => ({
      ...toProject(row),
      clipCount: clipCounts.get(row.id) ?? 0,
      outputCount: outputCounts.get(row.id) ?? 0,
    }));
  }

  updateProject(
    id: string,
    patch: { name?: string; mode?: MixMode; outputDir?: string; settings?: RenderSettings },
  ): Project {
    this.getProject(id);
    this.db
      .update(t.projects)
      .set({ ...patch, updatedAt: now() })
      .where(eq(t.projects.id, id))
      .run();
    return this.getProject(id);
  }

  touchProject(id: string): void {
    this.db.update(t.projects).set({ updatedAt: now() }).where(eq(t.projects.id, id)).run();
  }

  deleteProject(id: string): void {
    this.getProject(id);
    this.db.delete(t.projects).where(eq(t.projects.id, id)).run();
  }

  // ---- clips

  insertClip(projectId: string, clip: NewClip): Clip {
    const id = randomUUID();
    this.db
      .insert(t.clips)
      .values({
        id,
        projectId,
        path: clip.path,
        name: clip.name,
        hash: clip.hash ?? null,
        size: clip.size ?? 0,
        mtimeMs: clip.mtimeMs ?? null,
        info: clip.info ?? null,
        problems: clip.problems ?? [],
        status: clip.status,
        thumbnail: clip.thumbnail ?? null,
        addedAt: now(),
      })
      .run();
    return this.getClip(id);
  }

  getClip(id: string): Clip {
    return toClip(this.clipRow(id));
  }

  /** Thumbnail file path of a clip, or null. */
  clipThumbnail(id: string): string | null {
    return this.clipRow(id).thumbnail;
  }

  clipMtime(id: string): number | null {
    return this.clipRow(id).mtimeMs;
  }

  private clipRow(id: string) {
    const row = this.db.select().from(t.clips).where(eq(t.clips.id, id)).get();
    if (!row) throw new NotFoundError(`Clip ${id} does not exist (it may have been removed).`, { clipId: id });
    return row;
  }

  findClipByPath(projectId: string, path: string): Clip | undefined {
    const row = this.db
      .select()
      .from(t.clips)
      .where(and(eq(t.clips.projectId, projectId), eq(t.clips.path, path)))
      .get();
    return row ? toClip(row) : undefined;
  }

  listClips(projectId: string): Clip[] {
    return this.db
      .select()
      .from(t.clips)
      .where(eq(t.clips.projectId, projectId))
      .orderBy(asc(t.clips.addedAt), asc(t.clips.name))
      .all()
      .map(toClip);
  }

  /** Clips of every project in one state (e.g. 'analysing' ones a crash interrupted). */
  clipsWithStatus(status: ClipStatus): Clip[] {
    return this.db.select().from(t.clips).where(eq(t.clips.status, status)).all().map(toClip);
  }

  updateClip(id: string, patch: ClipPatch): Clip {
    this.clipRow(id);
    if (Object.keys(patch).length > 0) this.db.update(t.clips).set(patch).where(eq(t.clips.id, id)).run();
    return this.getClip(id);
  }

  removeClips(projectId: string, clipIds: string[]): void {
    this.db
      .delete(t.clips)
      .where(and(eq(t.clips.projectId, projectId), inArray(t.clips.id, clipIds)))
      .run();
  }

  /** Throws naming the first id that is not a clip of the project. */
  assertClipsInProject(projectId: string, clipIds: string[], field = 'clipIds'): void {
    if (clipIds.length === 0) return;
    const found = new Set(
      this.db
        .select({ id: t.clips.id })
        .from(t.clips)
        .where(and(eq(t.clips.projectId, projectId), inArray(t.clips.id, clipIds)))
        .all()
        .map((r) => r.id),
    );
    const missing = clipIds.find((id) => !found.has(id));
    if (missing) {
      throw new NotFoundError(`${field}: clip ${missing} is not part of this project.`, { field, clipId: missing });
    }
  }

  // ---- groups

  listGroups(projectId: string): Group[] {
    const rows = this.db
      .select()
      .from(t.groups)
      .where(eq(t.groups.projectId, projectId))
      .orderBy(asc(t.groups.position))
      .all();
    if (rows.length === 0) return [];
    const members = this.db
      .select()
      .from(t.groupClips)
      .where(
        inArray(
          t.groupClips.groupId,
          rows.map((r) => r.id),
        ),
      )
      .orderBy(asc(t.groupClips.position))
      .all();
    return rows.map((row) =>
      toGroup(
        row,
        members.filter((m) => m.groupId === row.id).map((m) => m.clipId),
      ),
    );
  }

  getGroup(id: string): Group {
    const row = this.db.select().from(t.groups).where(eq(t.groups.id, id)).get();
    if (!row) throw new NotFoundError(`Group ${id} does not exist (it may have been deleted).`, { groupId: id });
    const members = this.db
      .select()
      .from(t.groupClips)
      .where(eq(t.groupClips.groupId, id))
      .orderBy(asc(t.groupClips.position))
      .all();
    return toGroup(
      row,
      members.map((m) => m.clipId),
    );
  }

  createGroup(projectId: string, name: string): Group {
    this.getProject(projectId);
    const id = randomUUID();
    const last = this.db
      .select({ max: sql<number | null>`max(${t.groups.position})` })
      .from(t.groups)
      .where(eq(t.groups.projectId, projectId))
      .get();
    this.db
      .insert(t.groups)
      .values({ id, projectId, name, position: (last?.max ?? -1) + 1 })
      .run();
    return this.getGroup(id);
  }

  renameGroup(id: string, name: string): Group {
    this.getGroup(id);
    this.db.update(t.groups).set({ name }).where(eq(t.groups.id, id)).run();
    return this.getGroup(id);
  }

  deleteGroup(id: string): Group {
    const group = this.getGroup(id);
    this.transaction(() => {
      this.db.delete(t.groups).where(eq(t.groups.id, id)).run();
      this.compactGroupPositions(group.projectId);
    });
    return group;
  }

  private compactGroupPositions(projectId: string): void {
    this.listGroups(projectId).forEach((g, position) => {
      this.db.update(t.groups).set({ position }).where(eq(t.groups.id, g.id)).run();
    });
  }

  /** `groupIds` must name every group of the project exactly once. */
  reorderGroups(projectId: string, groupIds: string[]): Group[] {
    const current = this.listGroups(projectId).map((g) => g.id);
    const wanted = new Set(groupIds);
    if (
      wanted.size !== groupIds.length ||
      current.length !== groupIds.length ||
      current.some((id) => !wanted.has(id))
    ) {
      throw new ValidationError('groupIds: must list every group of the project exactly once.', {
        field: 'groupIds',
        expected: current,
      });
    }
    this.transaction(() => {
      groupIds.forEach((id, position) => {
        this.db.update(t.groups).set({ position }).where(eq(t.groups.id, id)).run();
      });
    });
    return this.listGroups(projectId);
  }

  setGroupClips(groupId: string, clipIds: string[]): Group {
    const group = this.getGroup(groupId);
    if (new Set(clipIds).size !== clipIds.length) {
      throw new ValidationError('clipIds: a clip can appear only once in a group.', { field: 'clipIds' });
    }
    this.assertClipsInProject(group.projectId, clipIds);
    this.transaction(() => {
      this.db.delete(t.groupClips).where(eq(t.groupClips.groupId, groupId)).run();
      clipIds.forEach((clipId, position) => {
        this.db.insert(t.groupClips).values({ groupId, clipId, position }).run();
      });
    });
    return this.getGroup(groupId);
  }

  // ---- rules

  listRules(projectId: string): Rule[] {
    return this.db.select().from(t.rules).where(eq(t.rules.projectId, projectId)).all().map(toRule);
  }

  addRule(projectId: string, clipA: string, clipB: string): Rule {
    this.assertClipsInProject(projectId, [clipA], 'clipA');
    this.assertClipsInProject(projectId, [clipB], 'clipB');
    if (clipA === clipB) throw new ValidationError('clipB: must be a different clip than clipA.', { field: 'clipB' });
    const existing = this.listRules(projectId).find(
      (r) => (r.clipA === clipA && r.clipB === clipB) || (r.clipA === clipB && r.clipB === clipA),
    );
    if (existing) return existing;
    const id = randomUUID();
    this.db.insert(t.rules).values({ id, projectId, clipA, clipB }).run();
    return toRule(this.db.select().from(t.rules).where(eq(t.rules.id, id)).get()!);
  }

  removeRule(id: string): Rule {
    const row = this.db.select().from(t.rules).where(eq(t.rules.id, id)).get();
    if (!row) throw new NotFoundError(`Rule ${id} does not exist.`, { ruleId: id });
    this.db.delete(t.rules).where(eq(t.rules.id, id)).run();
    return toRule(row);
  }

  // ---- jobs

  createJob(input: NewJob): string {
    const id = randomUUID();
    const at = now();
    this.transaction(() => {
      this.db
        .insert(t.jobs)
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
        })
        .run();
      for (const o of input.outputs) {
        this.db
          .insert(t.outputs)
          .values({
            id: randomUUID(),
            jobId: id,
            projectId: input.projectId,
            index: o.index,
            clipIds: o.clipIds,
            status: 'PENDING',
            attempts: 0,
            error: null,
            progress: 0,
            path: o.path,
            duration: o.duration,
            notBefore: 0,
            updatedAt: at,
          })
          .run();
      }
    });
    return id;
  }

  jobRow(id: string) {
    const row = this.db.select().from(t.jobs).where(eq(t.jobs.id, id)).get();
    if (!row) throw new NotFoundError(`Job ${id} does not exist.`, { jobId: id });
    return row;
  }

  getJob(id: string, etaSeconds: number | null = null): Job {
    return toJob(this.jobRow(id), this.outputCounts(id), etaSeconds);
  }

  listJobs(projectId: string): Job[] {
    return this.db
      .select()
      .from(t.jobs)
      .where(eq(t.jobs.projectId, projectId))
      .orderBy(desc(t.jobs.createdAt))
      .all()
      .map((row) => toJob(row, this.outputCounts(row.id)));
  }

  jobUsesFolder(outputDir: string): boolean {
    return this.db.select({ id: t.jobs.id }).from(t.jobs).where(eq(t.jobs.outputDir, outputDir)).get() !== undefined;
  }

  /** Jobs that still have outputs to render. */
  openJobIds(): string[] {
    return this.db
      .selectDistinct({ id: t.outputs.jobId })
      .from(t.outputs)
      .where(inArray(t.outputs.status, ['PENDING', 'PROCESSING']))
      .all()
      .map((r) => r.id);
  }

  outputCounts(jobId: string): OutputCounts {
    const rows = this.db
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
      counts[r.status.toLowerCase() as Lowercase<OutputStatus>] = r.n;
      if (r.status === 'PROCESSING') counts.processingProgress = r.progress;
    }
    return counts;
  }

  /** Recomputes a job's status from its outputs; returns true when it changed. */
  refreshJobStatus(jobId: string, queuePaused: boolean): boolean {
    const row = this.jobRow(jobId);
    const status = deriveJobStatus(this.outputCounts(jobId), queuePaused);
    if (status === row.status) return false;
    const finished = status === 'completed' || status === 'failed' || status === 'cancelled';
    this.db
      .update(t.jobs)
      .set({ status, finishedAt: finished ? (row.finishedAt ?? now()) : null })
      .where(eq(t.jobs.id, jobId))
      .run();
    return true;
  }

  // ---- outputs

  getOutput(id: string): Output {
    return toOutput(this.outputRow(id));
  }

  outputRow(id: string) {
    const row = this.db.select().from(t.outputs).where(eq(t.outputs.id, id)).get();
    if (!row) throw new NotFoundError(`Output ${id} does not exist.`, { outputId: id });
    return row;
  }

  listOutputs(filter: OutputFilter = {}): { items: Output[]; total: number } {
    const where = and(
      filter.projectId ? eq(t.outputs.projectId, filter.projectId) : undefined,
      filter.jobId ? eq(t.outputs.jobId, filter.jobId) : undefined,
      filter.status ? eq(t.outputs.status, filter.status) : undefined,
    );
    const total = this.db.select({ n: count() }).from(t.outputs).where(where).get()?.n ?? 0;
    const items = this.db
      .select()
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

  outputsWithStatus(status: OutputStatus, jobId?: string): Output[] {
    return this.db
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
    return this.db
      .select()
      .from(t.outputs)
      .innerJoin(t.jobs, eq(t.jobs.id, t.outputs.jobId))
      .where(and(eq(t.outputs.status, 'PENDING'), lte(t.outputs.notBefore, at)))
      .orderBy(asc(t.jobs.createdAt), asc(t.outputs.index))
      .limit(limit + excludeIds.size)
      .all()
      .map((r) => toOutput(r.outputs))
      .filter((o) => !excludeIds.has(o.id))
      .slice(0, limit);
  }

  /** Earliest notBefore among PENDING outputs still waiting for their backoff, or null. */
  nextRetryAt(at: number): number | null {
    const row = this.db
      .select({ at: sql<number | null>`min(${t.outputs.notBefore})` })
      .from(t.outputs)
      .where(and(eq(t.outputs.status, 'PENDING'), sql`${t.outputs.notBefore} > ${at}`))
      .get();
    return row?.at ?? null;
  }

  updateOutput(id: string, patch: OutputPatch): Output {
    this.db
      .update(t.outputs)
      .set({ ...patch, updatedAt: now() })
      .where(eq(t.outputs.id, id))
      .run();
    return this.getOutput(id);
  }

  /** Moves an output between states only if it is still in `from` (guards against races with cancel). */
  transitionOutput(id: string, from: OutputStatus[], patch: OutputPatch): Output | null {
    const result = this.db
      .update(t.outputs)
      .set({ ...patch, updatedAt: now() })
      .where(and(eq(t.outputs.id, id), inArray(t.outputs.status, from)))
      .run();
    return result.changes > 0 ? this.getOutput(id) : null;
  }

  countOutputs(status: OutputStatus): number {
    return this.db.select({ n: count() }).from(t.outputs).where(eq(t.outputs.status, status)).get()?.n ?? 0;
  }

  assertOutputStatus(output: Output, allowed: OutputStatus[], action: string): void {
    if (!allowed.includes(output.status)) {
      throw new ConflictError(
        `Output #${output.index + 1} is ${output.status}; only ${allowed.join(' or ')} outputs can be ${action}.`,
        { outputId: output.id, status: output.status },
      );
    }
  }
}
