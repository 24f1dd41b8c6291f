import { and, eq } from 'drizzle-orm';
import type { CodeRecord } from '../engine/codes/assign.ts';
import { CODE_PATTERN, parseCode } from '../engine/codes/prefix.ts';
import { NotFoundError, ValidationError } from './errors.ts';
import { now, type RepoContext } from './repo.ts';
import * as t from './schema.ts';

/** Component codes of a project: added, listed, renamed; never deleted (so never reused) but with the project. */
export class CodesRepo {
  constructor(private readonly ctx: RepoContext) {}

  list(projectId: string): CodeRecord[] {
    return this.ctx.db
      .select({ prefix: t.componentCodes.prefix, key: t.componentCodes.key, code: t.componentCodes.code })
      .from(t.componentCodes)
      .where(eq(t.componentCodes.projectId, projectId))
      .all();
  }

  add(projectId: string, records: readonly CodeRecord[]): void {
    if (records.length === 0) return;
    const at = now();
    // Multi-row statements: one per 500 records (an import of 200 clips adds 200 codes while the app waits).
    this.ctx.transaction(() => {
      for (let i = 0; i < records.length; i += 500) {
        const rows = records
          .slice(i, i + 500)
          .map((r) => ({ projectId, prefix: r.prefix, key: r.key, code: r.code, createdAt: at }));
        this.ctx.db.insert(t.componentCodes).values(rows).onConflictDoNothing().run();
      }
    });
  }

  /** Replaces every code of the project (a synced document's); records must be unique by code and by prefix+key. */
  replaceAll(projectId: string, records: readonly CodeRecord[]): void {
    this.ctx.transaction(() => {
      this.ctx.db.delete(t.componentCodes).where(eq(t.componentCodes.projectId, projectId)).run();
      this.add(projectId, records);
    });
  }

  /** Renames one code: same prefix, not taken by anything else in the project (also codes no longer in use). */
  rename(projectId: string, from: string, to: string): CodeRecord {
    const wanted = to.trim().toUpperCase();
    const old = parseCode(from);
    const next = parseCode(wanted);
    if (!CODE_PATTERN.test(wanted) || !next || !old || next.prefix !== old.prefix) {
      throw new ValidationError(
        `code: "${to}" is not a code of this kind; keep the prefix "${old?.prefix ?? '?'}" and give a number (e.g. ${old?.prefix ?? 'H'}${/\d$/.test(old?.prefix ?? '') ? '.' : ''}7).`,
        { field: 'code' },
      );
    }
    const row = this.ctx.db
      .select()
      .from(t.componentCodes)
      .where(and(eq(t.componentCodes.projectId, projectId), eq(t.componentCodes.code, from)))
      .get();
    if (!row) throw new NotFoundError(`Code ${from} does not exist in this project.`, { code: from });
    if (wanted === from) return { prefix: row.prefix, key: row.key, code: row.code };
    const taken = this.ctx.db
      .select()
      .from(t.componentCodes)
      .where(and(eq(t.componentCodes.projectId, projectId), eq(t.componentCodes.code, wanted)))
      .get();
    if (taken) {
      throw new ValidationError(`code: ${wanted} is taken (codes are never reused, also after a clip is removed).`, {
        field: 'code',
      });
    }
    this.ctx.db
      .update(t.componentCodes)
      .set({ code: wanted })
      .where(and(eq(t.componentCodes.projectId, projectId), eq(t.componentCodes.code, from)))
      .run();
    return { prefix: row.prefix, key: row.key, code: wanted };
  }
}
