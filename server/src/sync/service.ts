import {
  MAX_PROJECT_BYTES,
  NotFoundError,
  PayloadTooLargeError,
  type ProjectDocument,
  type ProjectListResponse,
  type ProjectMeta,
  VersionConflictError,
} from '@vmp/shared/http';
import { and, asc, eq, gt, sql } from 'drizzle-orm';
import type { AppContext } from '../context.ts';
import { projects } from '../db/schema.ts';

type Row = typeof projects.$inferSelect;
const nextSeq = sql`nextval('project_change_seq')`;

function meta(row: Row): ProjectMeta {
  return { id: row.id, version: row.version, deleted: row.deleted, updatedAt: row.updatedAt.toISOString() };
}

async function current(ctx: AppContext, userId: string, id: string): Promise<Row | undefined> {
  const [row] = await ctx.db
    .select()
    .from(projects)
    .where(and(eq(projects.userId, userId), eq(projects.id, id)));
  return row;
}

/** Changes after `since`, in change order; tombstones included so other machines learn of deletions. */
export async function listChanges(ctx: AppContext, userId: string, since: string | undefined, limit: number) {
  const after = Number(since ?? 0);
  const rows = await ctx.db
    .select()
    .from(projects)
    .where(and(eq(projects.userId, userId), gt(projects.changeSeq, after)))
    .orderBy(asc(projects.changeSeq))
    .limit(limit + 1);
  const page = rows.slice(0, limit);
  const last = page.at(-1);
  return {
    projects: page.map(meta),
    cursor: String(last ? last.changeSeq : after),
    hasMore: rows.length > limit,
  } satisfies ProjectListResponse;
}

export async function getProject(ctx: AppContext, userId: string, id: string): Promise<ProjectDocument> {
  const row = await current(ctx, userId, id);
  if (!row) throw new NotFoundError('No such project.');
  if (row.deleted) throw new NotFoundError('This project was deleted.', { deleted: true, version: row.version });
  return { ...meta(row), doc: row.doc };
}

/**
 * Creates (no If-Match) or replaces (If-Match: version) a document. The version check and the write
 * are one conditional statement, so two machines saving at once cannot both win.
 */
export async function putProject(
  ctx: AppContext,
  userId: string,
  id: string,
  doc: Record<string, unknown>,
  ifMatch: number | undefined,
): Promise<{ project: ProjectMeta; created: boolean }> {
  const bytes = Buffer.byteLength(JSON.stringify(doc), 'utf8');
  if (bytes > MAX_PROJECT_BYTES) throw new PayloadTooLargeError(MAX_PROJECT_BYTES);
  if (ifMatch === undefined) {
    const [row] = await ctx.db
      .insert(projects)
      .values({ userId, id, version: 1, doc, changeSeq: nextSeq })
      .onConflictDoNothing()
      .returning();
    if (row) return { project: meta(row), created: true };
  } else {
    const [row] = await ctx.db
      .update(projects)
      .set({ version: sql`${projects.version} + 1`, doc, deleted: false, changeSeq: nextSeq, updatedAt: new Date() })
      .where(and(eq(projects.userId, userId), eq(projects.id, id), eq(projects.version, ifMatch)))
      .returning();
    if (row) return { project: meta(row), created: false };
  }
  const existing = await current(ctx, userId, id);
  throw new VersionConflictError(existing?.version ?? null, { deleted: existing?.deleted ?? false });
}

/** Replaces the document by a tombstone (version + 1). Deleting a tombstone again is a no-op. */
export async function deleteProject(
  ctx: AppContext,
  userId: string,
  id: string,
  ifMatch: number | undefined,
): Promise<ProjectMeta> {
  const conditions = [eq(projects.userId, userId), eq(projects.id, id), eq(projects.deleted, false)];
  if (ifMatch !== undefined) conditions.push(eq(projects.version, ifMatch));
  const [row] = await ctx.db
    .update(projects)
    .set({ version: sql`${projects.version} + 1`, doc: null, deleted: true, changeSeq: nextSeq, updatedAt: new Date() })
    .where(and(...conditions))
    .returning();
  if (row) return meta(row);
  const existing = await current(ctx, userId, id);
  if (!existing) throw new NotFoundError('No such project.');
  if (existing.deleted && (ifMatch === undefined || ifMatch === existing.version - 1 || ifMatch === existing.version)) {
    return meta(existing);
  }
  throw new VersionConflictError(existing.version, { deleted: existing.deleted });
}
