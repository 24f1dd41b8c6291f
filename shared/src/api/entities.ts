import { z } from 'zod';
import { CaptionCue, ClipProblem, MediaInfo, MixMode, PlanSummary, RenderSettings } from '../media.ts';
import { NearDuplicate, Preflight } from '../placements.ts';

const Id = z.string().min(1).max(64);
/** Epoch milliseconds. */
const Timestamp = z.number().int().nonnegative();

export const Project = z.object({
  id: Id,
  name: z.string(),
  mode: MixMode,
  settings: RenderSettings,
  /** Absolute folder where outputs are written (one sub-folder per job). */
  outputDir: z.string(),
  createdAt: Timestamp,
  updatedAt: Timestamp,
});
export type Project = z.infer<typeof Project>;

export const ProjectSummary = Project.extend({
  clipCount: z.number().int().nonnegative(),
  outputCount: z.number().int().nonnegative(),
});
export type ProjectSummary = z.infer<typeof ProjectSummary>;

/**
 * ok: ready to mix. analysing: probe/hash running. problem: validation failed (see problems).
 * missing/changed: the file moved or its content changed since import; relink to fix.
 */
export const ClipStatus = z.enum(['analysing', 'ok', 'problem', 'missing', 'changed']);
export type ClipStatus = z.infer<typeof ClipStatus>;

export const Clip = z.object({
  id: Id,
  projectId: Id,
  /** Absolute path; clips are referenced in place, never copied or modified (browser uploads live in the project's media folder). */
  path: z.string(),
  name: z.string(),
  hash: z.string().nullable(),
  size: z.number().int().nonnegative(),
  info: MediaInfo.nullable(),
  problems: z.array(ClipProblem),
  status: ClipStatus,
  hasThumbnail: z.boolean(),
  addedAt: Timestamp,
  /** Captions burned in during their cues (from clip.srt/clip.vtt at import, or edited). Absent: none. */
  captions: z.array(CaptionCue).optional(),
});
export type Clip = z.infer<typeof Clip>;

export const Group = z.object({
  id: Id,
  projectId: Id,
  name: z.string(),
  position: z.number().int().nonnegative(),
  /** Clip ids in their order within the group. */
  clipIds: z.array(Id),
  /** Headline variants shown over this group's clip, one per output (one more plan factor). Absent: none. */
  headlines: z.array(z.string()).optional(),
});
export type Group = z.infer<typeof Group>;

/** Compatibility rule: these two clips never appear in the same output. */
export const Rule = z.object({ id: Id, projectId: Id, clipA: Id, clipB: Id });
export type Rule = z.infer<typeof Rule>;

export const ProjectDetail = z.object({
  project: Project,
  clips: z.array(Clip),
  groups: z.array(Group),
  rules: z.array(Rule),
});
export type ProjectDetail = z.infer<typeof ProjectDetail>;

export const OutputStatus = z.enum(['pending', 'processing', 'completed', 'failed', 'cancelled']);
export type OutputStatus = z.infer<typeof OutputStatus>;

export const JobStatus = z.enum(['queued', 'running', 'paused', 'completed', 'failed', 'cancelled']);
export type JobStatus = z.infer<typeof JobStatus>;

export const Job = z.object({
  id: Id,
  projectId: Id,
  status: JobStatus,
  settings: RenderSettings,
  seed: z.number().int(),
  /** Folder this job writes into. */
  outputDir: z.string(),
  total: z.number().int().nonnegative(),
  completed: z.number().int().nonnegative(),
  failed: z.number().int().nonnegative(),
  cancelled: z.number().int().nonnegative(),
  /** 0–1 over all outputs of the job. */
  progress: z.number().min(0).max(1),
  etaSeconds: z.number().nonnegative().nullable(),
  createdAt: Timestamp,
  finishedAt: Timestamp.nullable(),
  /**
   * Made for placements: pairs of outputs of one placement whose first 3 s look alike (engine/similarity), closest
   * first, at most NEAR_DUPLICATE_LIST of them; null until the job's outputs are all checked. Absent: plain formats.
   */
  nearDuplicates: z.array(NearDuplicate).nullable().optional(),
  /** How many pairs the report found (the list may hold fewer). */
  nearDuplicateCount: z.number().int().nonnegative().optional(),
});
export type Job = z.infer<typeof Job>;

/** Near-duplicate pairs a Job carries at most (the closest). */
export const NEAR_DUPLICATE_LIST = 100;

export const Output = z.object({
  id: Id,
  jobId: Id,
  projectId: Id,
  index: z.number().int().nonnegative(),
  clipIds: z.array(Id),
  status: OutputStatus,
  attempts: z.number().int().nonnegative(),
  error: z.string().nullable(),
  progress: z.number().min(0).max(1),
  /** Final file once COMPLETED; the planned path before. */
  path: z.string().nullable(),
  duration: z.number().nonnegative().nullable(),
  /** Render-farm worker ("host:pid") that made it; null/absent: rendered on this computer. */
  worker: z.string().nullable().optional(),
  /** Made for a placement: the file checked against it once rendered (engine/preflight); null until then. */
  preflight: Preflight.nullable().optional(),
  updatedAt: Timestamp,
});
export type Output = z.infer<typeof Output>;

/** The plan with the current settings; `combinations` holds only the first `limit` rows. */
export const PlanPreview = PlanSummary.extend({
  /** Things the user should know before rendering (skipped clips, capped count, ...). */
  warnings: z.array(z.string()),
  /** Files the render makes: `count` × placements (one per combination without placements); one credit each. */
  files: z.number().int().nonnegative().optional(),
});
export type PlanPreview = z.infer<typeof PlanPreview>;

export const QueueState = z.object({
  paused: z.boolean(),
  running: z.number().int().nonnegative(),
  pending: z.number().int().nonnegative(),
  concurrency: z.number().int().positive(),
});
export type QueueState = z.infer<typeof QueueState>;

export const AppSettings = z.object({
  /** Outputs rendered at once. */
  concurrency: z.number().int().min(1).max(16),
  /** Where new projects put their outputs. */
  defaultOutputDir: z.string(),
  /** Files larger than this are refused at import. */
  maxClipBytes: z.number().int().positive(),
  /**
   * Render farm (redis:// or rediss:// URL of its Redis): when set, the queue renders through `vmp worker`s;
   * null: on this computer. The core checks the URL and never sends its password back (shown as ***).
   */
  farmUrl: z.string().nullable(),
  /**
   * The render farm's bucket (s3://bucket/prefix; endpoint and credentials from the AWS variables): with a farm URL,
   * farm jobs go through it instead of a shared folder; also where the gallery's share links point. null/absent: none.
   */
  farmStorageUrl: z.string().nullable().optional(),
  /** Webhook told when a job ends (JSON summary; Slack's `{text}` for hooks.slack.com); null/absent: none. */
  notifyUrl: z.string().nullable().optional(),
});
export type AppSettings = z.infer<typeof AppSettings>;

export const AppInfo = z.object({
  version: z.string(),
  platform: z.string(),
  dataDir: z.string(),
  /** electron: native dialogs and reveal work; browser: files are uploaded to the host. */
  transport: z.enum(['electron', 'browser']),
  capabilities: z.object({
    nativeDialogs: z.boolean(),
    upload: z.boolean(),
    reveal: z.boolean(),
    /**
     * Browser on the same machine as the host (loopback): paths typed in it name files the host can read, so clips
     * can be imported by path instead of uploaded. Set by the host per connection.
     */
    localPaths: z.boolean().optional(),
  }),
  ffmpeg: z.union([
    z.object({ ok: z.literal(true), ffmpeg: z.string(), ffprobe: z.string(), version: z.string() }),
    z.object({ ok: z.literal(false), error: z.string() }),
  ]),
  uploadLimitBytes: z.number().int().positive(),
});
export type AppInfo = z.infer<typeof AppInfo>;

export const ImportResult = z.object({
  clips: z.array(Clip),
  /** Files that were not added at all (duplicates, unreadable paths). Invalid media is added with problems instead. */
  skipped: z.array(z.object({ path: z.string(), reason: z.string() })),
});
export type ImportResult = z.infer<typeof ImportResult>;
