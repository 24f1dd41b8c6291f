import { z } from 'zod';
import { ReportField } from '../api/results.ts';
import { findDocumentProblem, text } from './text.ts';

/** Project ids are chosen by the client (e.g. a UUID). */
export const ProjectId = z.string().regex(/^[A-Za-z0-9_-]{1,100}$/, 'letters, digits, - and _ (1–100)');

export const ProjectParams = z.object({ id: ProjectId });
export type ProjectParams = z.infer<typeof ProjectParams>;

export const MAX_PROJECT_BYTES = 1024 * 1024;

export const ProjectListQuery = z.object({
  /** Opaque cursor from a previous list; absent means from the beginning. */
  since: z
    .string()
    .regex(/^\d{1,18}$/)
    .optional(),
  limit: z.coerce.number().int().min(1).max(500).default(100),
});
export type ProjectListQuery = z.infer<typeof ProjectListQuery>;

export const ProjectMeta = z.object({
  id: z.string(),
  version: z.number().int(),
  deleted: z.boolean(),
  updatedAt: z.string(),
});
export type ProjectMeta = z.infer<typeof ProjectMeta>;

export const ProjectListResponse = z.object({
  projects: z.array(ProjectMeta),
  /** Pass as `since` next time. */
  cursor: z.string(),
  hasMore: z.boolean(),
});
export type ProjectListResponse = z.infer<typeof ProjectListResponse>;

export const ProjectDocument = ProjectMeta.extend({ doc: z.unknown() });
export type ProjectDocument = z.infer<typeof ProjectDocument>;

/** PUT body; send `If-Match: <version>` to update, omit it to create. */
export const PutProjectRequest = z.object({
  doc: z.record(z.string(), z.unknown()).superRefine((doc, ctx) => {
    const problem = findDocumentProblem(doc);
    if (problem) ctx.addIssue({ code: 'custom', path: problem.path, message: problem.message });
  }),
});
export type PutProjectRequest = z.infer<typeof PutProjectRequest>;

const ContentHash = z.string().regex(/^[0-9a-f]{64}$/, 'a SHA-256 content hash (64 hex digits)');

const CODE = '(?:[A-Z]|G\\d{1,4}\\.)\\d{1,6}';
/** A component code (desktop/src/engine/codes): H3, B1, K2, T1, G2.1. */
const ComponentCode = z.string().regex(new RegExp(`^${CODE}$`), 'a component code (H3, T1, G2.1…)');

/**
 * One code of the project, kept for its life: the clip it names (by content hash: ids differ per machine), or the
 * headline text, or neither (a retired code: its clip was removed; it stays taken so it is never handed out again).
 */
export const SyncedCode = z
  .strictObject({ code: ComponentCode, clip: ContentHash.optional(), headline: text(1, 1000).optional() })
  .refine((c) => !(c.clip && c.headline), 'a code names a clip or a headline, not both');

/** An ad the project has rendered, by its name: its codes joined in group order, headline codes last. */
export const SyncedAdName = z
  .string()
  .regex(new RegExp(`^${CODE}(?:-${CODE}){0,63}$`), 'codes joined by "-" (H3-B1-C2-T1)');

const Figure = z.number().finite();
/** A report row, as a tuple to keep documents small: [line, adName, adId, impressions, clicks, spend, conversions, hookViews, start, end]. */
export const SyncedRow = z.tuple([
  z.number().int().nonnegative(),
  text(0, 2000),
  text(0, 200).nullable(),
  Figure,
  Figure,
  Figure,
  Figure,
  Figure.nullable(),
  text(0, 40),
  text(0, 40),
]);

/** One imported ad report with all its rows (also those a later import replaced: the history stays). */
export const SyncedImport = z.strictObject({
  id: z.string().regex(/^[A-Za-z0-9_-]{1,64}$/, 'letters, digits, - and _ (1–64)'),
  file: text(1, 1000),
  platform: z.enum(['meta', 'tiktok', 'other']),
  currency: text(1, 20).nullable(),
  columns: z.partialRecord(ReportField, text(1, 200)),
  importedAt: z.number().int().nonnegative(),
  rows: z.array(SyncedRow).max(200_000),
});

/**
 * A project document as the app syncs it (desktop/src/licensing/project-sync.ts ProjectDoc). The server stores any
 * JSON; a machine applies only documents that pass this, and reports the others by name.
 */
export const SyncedProjectDoc = z.object({
  schema: z.literal(1),
  name: text(1, 120),
  mode: z.enum(['manual', 'auto']),
  settings: z.record(z.string(), z.unknown()),
  clips: z
    .array(
      z.object({
        hash: ContentHash,
        name: text(1, 1000),
        size: z.number().int().nonnegative(),
        info: z.unknown(),
        captions: z.array(z.unknown()).optional(),
      }),
    )
    .max(100_000),
  groups: z
    .array(z.object({ name: text(1, 120), clips: z.array(ContentHash), headlines: z.array(z.unknown()).optional() }))
    .max(1000),
  rules: z.array(z.tuple([ContentHash, ContentHash])).max(100_000),
  codes: z.array(SyncedCode).max(200_000).optional(),
  ads: z.array(SyncedAdName).max(100_000).optional(),
  results: z.array(SyncedImport).max(1000).optional(),
  modifiedAt: z.number(),
});
export type SyncedProjectDoc = z.infer<typeof SyncedProjectDoc>;
export type SyncedCode = z.infer<typeof SyncedCode>;
export type SyncedRow = z.infer<typeof SyncedRow>;
export type SyncedImport = z.infer<typeof SyncedImport>;
