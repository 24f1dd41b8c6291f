import { randomUUID } from 'node:crypto';
import type { MixMode, RenderSettings } from '@vmp/shared';
import type { Project, ProjectSummary } from '@vmp/shared/api';
import { count, desc, eq } from 'drizzle-orm';
import { NotFoundError } from './errors.ts';
import { now, type RepoContext } from './repo.ts';
import { toProject } from './rows.ts';
import * as t from './schema.ts';

export interface NewProject {
  name: string;
  mode: MixMode;
  outputDir: string;
  settings: RenderSettings;
  /** Names of the groups the project starts with, in order. */
  groups?: string[];
}

export type ProjectPatch = { name?: string; mode?: MixMode; outputDir?: string; settings?: RenderSettings };

export class ProjectsRepo {
  constructor(private readonly ctx: RepoContext) {}

  create(input: NewProject): Project {
    const { db } = this.ctx;
    const id = randomUUID();
    const at = now();
    return this.ctx.transaction(() => {
      db.insert(t.projects)
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
        db.insert(t.groups).values({ id: randomUUID(), projectId: id, name, position }).run();
      });
      return this.get(id);
    });
  }

  get(id: string): Project {
    const row = this.ctx.db.select().from(t.projects).where(eq(t.projects.id, id)).get();
    if (!row) throw new NotFoundError(`Project ${id} does not exist (it may have been deleted).`, { projectId: id });
    return toProject(row);
  }

  list(): ProjectSummary[] {
    const { db } = this.ctx;
    const rows = db.select().from(t.projects).orderBy(desc(t.projects.updatedAt)).all();
    const clipCounts = new Map(
      db
        .select({ id: t.clips.projectId, n: count() })
        .from(t.clips)
        .groupBy(t.clips.projectId)
        .all()
        .map((r) => [r.id, r.n]),
    );
    const outputCounts = new Map(
      db
        .select({ id: t.outputs.projectId, n: count() })
        .from(t.outputs)
        .where(eq(t.outputs.status, 'completed'))
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

  update(id: string, patch: ProjectPatch): Project {
    this.get(id);
    this.ctx.db
      .update(t.projects)
      .set({ ...patch, updatedAt: now() })
      .where(eq(t.projects.id, id))
      .run();
    return this.get(id);
  }

  touch(id: string): void {
    this.ctx.db.update(t.projects).set({ updatedAt: now() }).where(eq(t.projects.id, id)).run();
  }

  delete(id: string): void {
    this.get(id);
    this.ctx.db.delete(t.projects).where(eq(t.projects.id, id)).run();
  }
}
