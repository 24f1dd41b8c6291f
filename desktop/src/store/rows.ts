import { CaptionCue, ClipProblem, MediaInfo, NearDuplicate, Preflight, RenderSettings } from '@vmp/shared';
import {
  type Clip,
  type Group,
  type Job,
  NEAR_DUPLICATE_LIST,
  type Output,
  type Project,
  type Rule,
} from '@vmp/shared/api';
import { z } from 'zod';
import type * as schema from './schema.ts';

// Row → entity mappers. JSON columns are parsed again so an old row never leaks a malformed value to the UI.

export type ProjectRow = typeof schema.projects.$inferSelect;
export type ClipRow = typeof schema.clips.$inferSelect;
export type GroupRow = typeof schema.groups.$inferSelect;
export type RuleRow = typeof schema.rules.$inferSelect;
export type JobRow = typeof schema.jobs.$inferSelect;
/** A job's row without its plan (store.jobs.row); JobRow has it (store.jobs.withPlan). */
export type JobRowLite = Omit<JobRow, 'plan'>;
export type OutputRow = typeof schema.outputs.$inferSelect;

const Problems = z.array(ClipProblem);
const Cues = z.array(CaptionCue);
const Ids = z.array(z.string());
const Texts = z.array(z.string());
/** jobs.near_duplicates: the closest pairs (at most NEAR_DUPLICATE_LIST) and how many the report found. */
export const StoredNearDuplicates = z.object({ total: z.number().int().nonnegative(), pairs: z.array(NearDuplicate) });
export type StoredNearDuplicates = z.infer<typeof StoredNearDuplicates>;

export function toProject(row: ProjectRow): Project {
  return {
    id: row.id,
    name: row.name,
    mode: row.mode,
    settings: RenderSettings.parse(row.settings ?? {}),
    outputDir: row.outputDir,
    createdAt: row.createdAt,
    updatedAt: row.updatedAt,
  };
}

export function toClip(row: ClipRow): Clip {
  const info = row.info == null ? null : MediaInfo.safeParse(row.info);
  return {
    id: row.id,
    projectId: row.projectId,
    path: row.path,
    name: row.name,
    hash: row.hash,
    size: row.size,
    info: info?.success ? info.data : null,
    problems: Problems.catch([]).parse(row.problems),
    status: row.status,
    hasThumbnail: row.thumbnail != null,
    addedAt: row.addedAt,
    ...(row.captions == null ? {} : { captions: Cues.catch([]).parse(row.captions) }),
  };
}

export function toGroup(row: GroupRow, clipIds: string[]): Group {
  const headlines = row.headlines == null ? [] : Texts.catch([]).parse(row.headlines);
  return {
    id: row.id,
    projectId: row.projectId,
    name: row.name,
    position: row.position,
    clipIds,
    ...(headlines.length ? { headlines } : {}),
  };
}

export function toRule(row: RuleRow): Rule {
  return { id: row.id, projectId: row.projectId, clipA: row.clipA, clipB: row.clipB };
}

export function toOutput(row: OutputRow): Output {
  return {
    id: row.id,
    jobId: row.jobId,
    projectId: row.projectId,
    index: row.index,
    clipIds: Ids.catch([]).parse(row.clipIds),
    status: row.status,
    attempts: row.attempts,
    error: row.error,
    progress: Math.min(1, Math.max(0, row.progress)),
    path: row.path,
    duration: row.duration,
    worker: row.worker,
    ...(row.preflight == null ? {} : { preflight: Preflight.nullable().catch(null).parse(row.preflight) }),
    updatedAt: row.updatedAt,
  };
}

export interface OutputCounts {
  pending: number;
  processing: number;
  completed: number;
  failed: number;
  cancelled: number;
  /** Sum of progress of outputs still rendering. */
  processingProgress: number;
}

export function toJob(row: JobRowLite, counts: OutputCounts, etaSeconds: number | null = null): Job {
  const finished = counts.completed + counts.failed + counts.cancelled;
  const progress = row.total === 0 ? 1 : Math.min(1, (finished + counts.processingProgress) / row.total);
  return {
    id: row.id,
    projectId: row.projectId,
    status: row.status,
    settings: RenderSettings.parse(row.settings ?? {}),
    seed: row.seed,
    outputDir: row.outputDir,
    total: row.total,
    completed: counts.completed,
    failed: counts.failed,
    cancelled: counts.cancelled,
    progress,
    etaSeconds,
    createdAt: row.createdAt,
    finishedAt: row.finishedAt,
    ...nearDuplicatesOf(row),
  };
}

/** Jobs made for placements carry their report (null while owed); others nothing. */
function nearDuplicatesOf(row: JobRowLite): Pick<Job, 'nearDuplicates' | 'nearDuplicateCount'> {
  if (row.nearDuplicates == null) return row.checksOwed ? { nearDuplicates: null } : {};
  const stored = StoredNearDuplicates.catch({ total: 0, pairs: [] }).parse(row.nearDuplicates);
  return { nearDuplicates: stored.pairs.slice(0, NEAR_DUPLICATE_LIST), nearDuplicateCount: stored.total };
}
