import { randomUUID } from 'node:crypto';
import type { CaptionCue, ClipProblem, MediaInfo } from '@vmp/shared';
import type { Clip, ClipStatus } from '@vmp/shared/api';
import { and, asc, eq, inArray } from 'drizzle-orm';
import { NotFoundError } from './errors.ts';
import { now, type RepoContext } from './repo.ts';
import { toClip } from './rows.ts';
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
  /** null or []: no captions. */
  captions?: CaptionCue[] | null;
}

export type ClipPatch = Partial<Omit<NewClip, 'name'>> & { name?: string };

export class ClipsRepo {
  constructor(private readonly ctx: RepoContext) {}

  insert(projectId: string, clip: NewClip): Clip {
    const id = randomUUID();
    this.ctx.db
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
        captions: clip.captions?.length ? clip.captions : null,
        addedAt: now(),
      })
      .run();
    return this.get(id);
  }

  /**
   * New clips waiting for analysis, in one transaction with one prepared statement: an import of hundreds of files
   * would otherwise build a drizzle statement and read the row back per file (about 2 ms each on a loaded box, all
   * on the app's main thread).
   */
  insertAnalysing(projectId: string, files: readonly { path: string; name: string; size: number }[]): Clip[] {
    const insert = this.ctx.sqlite.prepare(
      `INSERT INTO clips (id, project_id, path, name, hash, size, mtime_ms, info, problems, status, thumbnail,
        added_at, captions) VALUES (?, ?, ?, ?, NULL, ?, NULL, NULL, '[]', 'analysing', NULL, ?, NULL)`,
    );
    const at = now();
    return this.ctx.transaction(() =>
      files.map((file) => {
        const id = randomUUID();
        insert.run(id, projectId, file.path, file.name, file.size, at);
        return toClip({
          id,
          projectId,
          path: file.path,
          name: file.name,
          hash: null,
          size: file.size,
          mtimeMs: null,
          info: null,
          problems: [],
          status: 'analysing',
          thumbnail: null,
          addedAt: at,
          captions: null,
        });
      }),
    );
  }

  /**
   * Stores analyses (an import's batch) in one transaction with one prepared statement, as insertAnalysing does;
   * a clip removed meanwhile is left out of the result.
   */
  saveAnalyses(
    items: readonly {
      id: string;
      patch: Required<
        Pick<NewClip, 'path' | 'name' | 'hash' | 'size' | 'mtimeMs' | 'info' | 'problems' | 'status' | 'thumbnail'>
      >;
    }[],
  ): Clip[] {
    const update = this.ctx.sqlite.prepare(
      `UPDATE clips SET path = ?, name = ?, hash = ?, size = ?, mtime_ms = ?, info = ?, problems = ?, status = ?,
        thumbnail = ? WHERE id = ?
       RETURNING id, project_id, path, name, hash, size, mtime_ms, info, problems, status, thumbnail, added_at, captions`,
    );
    const json = (value: unknown) => (value == null ? null : JSON.stringify(value));
    return this.ctx.transaction(() =>
      items.flatMap(({ id, patch: p }) => {
        const values = [
          p.path,
          p.name,
          p.hash,
          p.size,
          p.mtimeMs,
          json(p.info),
          json(p.problems),
          p.status,
          p.thumbnail,
        ];
        const row = update.get(...values, id) as Record<string, string | number | null> | undefined;
        if (!row) return [];
        const parse = (v: string | number | null | undefined) => (typeof v === 'string' ? JSON.parse(v) : null);
        return [
          toClip({
            id: row.id as string,
            projectId: row.project_id as string,
            path: row.path as string,
            name: row.name as string,
            hash: row.hash as string | null,
            size: row.size as number,
            mtimeMs: row.mtime_ms as number | null,
            info: parse(row.info),
            problems: parse(row.problems),
            status: row.status as ClipStatus,
            thumbnail: row.thumbnail as string | null,
            addedAt: row.added_at as number,
            captions: parse(row.captions),
          }),
        ];
      }),
    );
  }

  get(id: string): Clip {
    return toClip(this.row(id));
  }

  /** Paths of a project's clips. */
  paths(projectId: string): Set<string> {
    const rows = this.ctx.db.select({ path: t.clips.path }).from(t.clips).where(eq(t.clips.projectId, projectId)).all();
    return new Set(rows.map((r) => r.path));
  }

  /** Thumbnail file path of a clip, or null. */
  thumbnail(id: string): string | null {
    return this.row(id).thumbnail;
  }

  /** Whether any clip, of any project, still shows this thumbnail file (stills are shared by content hash). */
  thumbnailInUse(file: string): boolean {
    return !!this.ctx.db.select({ id: t.clips.id }).from(t.clips).where(eq(t.clips.thumbnail, file)).limit(1).get();
  }

  mtime(id: string): number | null {
    return this.row(id).mtimeMs;
  }

  private row(id: string) {
    const row = this.ctx.db.select().from(t.clips).where(eq(t.clips.id, id)).get();
    if (!row) throw new NotFoundError(`Clip ${id} does not exist (it may have been removed).`, { clipId: id });
    return row;
  }

  findByPath(projectId: string, path: string): Clip | undefined {
    const row = this.ctx.db
      .select()
      .from(t.clips)
      .where(and(eq(t.clips.projectId, projectId), eq(t.clips.path, path)))
      .get();
    return row ? toClip(row) : undefined;
  }

  list(projectId: string): Clip[] {
    return this.ctx.db
      .select()
      .from(t.clips)
      .where(eq(t.clips.projectId, projectId))
      .orderBy(asc(t.clips.addedAt), asc(t.clips.name))
      .all()
      .map(toClip);
  }

  /** Clips of every project in one state (e.g. 'analysing' ones a crash interrupted). */
  withStatus(status: ClipStatus): Clip[] {
    return this.ctx.db.select().from(t.clips).where(eq(t.clips.status, status)).all().map(toClip);
  }

  update(id: string, patch: ClipPatch): Clip {
    if (Object.keys(patch).length === 0) return this.get(id);
    // One statement (RETURNING) rather than read, write, read: imports update every clip once on the main thread.
    const row = this.ctx.db.update(t.clips).set(patch).where(eq(t.clips.id, id)).returning().get();
    if (!row) throw new NotFoundError(`Clip ${id} does not exist (it may have been removed).`, { clipId: id });
    return toClip(row);
  }

  remove(projectId: string, clipIds: string[]): void {
    this.ctx.db
      .delete(t.clips)
      .where(and(eq(t.clips.projectId, projectId), inArray(t.clips.id, clipIds)))
      .run();
  }

  /** Throws naming the first id that is not a clip of the project. */
  assertInProject(projectId: string, clipIds: string[], field = 'clipIds'): void {
    if (clipIds.length === 0) return;
    const found = new Set(
      this.ctx.db
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
}
