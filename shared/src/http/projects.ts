import { z } from 'zod';
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
  modifiedAt: z.number(),
});
export type SyncedProjectDoc = z.infer<typeof SyncedProjectDoc>;
