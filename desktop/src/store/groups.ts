import { randomUUID } from 'node:crypto';
import type { Group } from '@vmp/shared/api';
import { asc, eq, inArray, sql } from 'drizzle-orm';
import type { ClipsRepo } from './clips.ts';
import { NotFoundError, ValidationError } from './errors.ts';
import type { ProjectsRepo } from './projects.ts';
import type { RepoContext } from './repo.ts';
import { toGroup } from './rows.ts';
import * as t from './schema.ts';

/** Groups of a project and their ordered clip membership. */
export class GroupsRepo {
  constructor(
    private readonly ctx: RepoContext,
    private readonly projects: ProjectsRepo,
    private readonly clips: ClipsRepo,
  ) {}

  list(projectId: string): Group[] {
    const { db } = this.ctx;
    const rows = db
      .select()
      .from(t.groups)
      .where(eq(t.groups.projectId, projectId))
      .orderBy(asc(t.groups.position))
      .all();
    if (rows.length === 0) return [];
    const members = db
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

  get(id: string): Group {
    const { db } = this.ctx;
    const row = db.select().from(t.groups).where(eq(t.groups.id, id)).get();
    if (!row) throw new NotFoundError(`Group ${id} does not exist (it may have been deleted).`, { groupId: id });
    const members = db
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

  create(projectId: string, name: string): Group {
    this.projects.get(projectId);
    const id = randomUUID();
    const last = this.ctx.db
      .select({ max: sql<number | null>`max(${t.groups.position})` })
      .from(t.groups)
      .where(eq(t.groups.projectId, projectId))
      .get();
    this.ctx.db
      .insert(t.groups)
      .values({ id, projectId, name, position: (last?.max ?? -1) + 1 })
      .run();
    return this.get(id);
  }

  rename(id: string, name: string): Group {
    this.get(id);
    this.ctx.db.update(t.groups).set({ name }).where(eq(t.groups.id, id)).run();
    return this.get(id);
  }

  delete(id: string): Group {
    const group = this.get(id);
    this.ctx.transaction(() => {
      this.ctx.db.delete(t.groups).where(eq(t.groups.id, id)).run();
      this.compactPositions(group.projectId);
    });
    return group;
  }

  private compactPositions(projectId: string): void {
    this.list(projectId).forEach((g, position) => {
      this.ctx.db.update(t.groups).set({ position }).where(eq(t.groups.id, g.id)).run();
    });
  }

  /** `groupIds` must name every group of the project exactly once. */
  reorder(projectId: string, groupIds: string[]): Group[] {
    const current = this.list(projectId).map((g) => g.id);
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
    this.ctx.transaction(() => {
      groupIds.forEach((id, position) => {
        this.ctx.db.update(t.groups).set({ position }).where(eq(t.groups.id, id)).run();
      });
    });
    return this.list(projectId);
  }

  /** [] removes them. */
  setHeadlines(groupId: string, headlines: string[]): Group {
    this.get(groupId);
    this.ctx.db
      .update(t.groups)
      .set({ headlines: headlines.length ? headlines : null })
      .where(eq(t.groups.id, groupId))
      .run();
    return this.get(groupId);
  }

  setClips(groupId: string, clipIds: string[]): Group {
    const group = this.get(groupId);
    if (new Set(clipIds).size !== clipIds.length) {
      throw new ValidationError('clipIds: a clip can appear only once in a group.', { field: 'clipIds' });
    }
    this.clips.assertInProject(group.projectId, clipIds);
    this.ctx.transaction(() => {
      this.ctx.db.delete(t.groupClips).where(eq(t.groupClips.groupId, groupId)).run();
      clipIds.forEach((clipId, position) => {
        this.ctx.db.insert(t.groupClips).values({ groupId, clipId, position }).run();
      });
    });
    return this.get(groupId);
  }
}
