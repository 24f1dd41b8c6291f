import { randomUUID } from 'node:crypto';
import type { Rule } from '@vmp/shared/api';
import { eq } from 'drizzle-orm';
import type { ClipsRepo } from './clips.ts';
import { NotFoundError, ValidationError } from './errors.ts';
import type { RepoContext } from './repo.ts';
import { toRule } from './rows.ts';
import * as t from './schema.ts';

/** "Never together" rules between two clips of a project. */
export class RulesRepo {
  constructor(
    private readonly ctx: RepoContext,
    private readonly clips: ClipsRepo,
  ) {}

  list(projectId: string): Rule[] {
    return this.ctx.db.select().from(t.rules).where(eq(t.rules.projectId, projectId)).all().map(toRule);
  }

  add(projectId: string, clipA: string, clipB: string): Rule {
    this.clips.assertInProject(projectId, [clipA], 'clipA');
    this.clips.assertInProject(projectId, [clipB], 'clipB');
    if (clipA === clipB) throw new ValidationError('clipB: must be a different clip than clipA.', { field: 'clipB' });
    const existing = this.list(projectId).find(
      (r) => (r.clipA === clipA && r.clipB === clipB) || (r.clipA === clipB && r.clipB === clipA),
    );
    if (existing) return existing;
    const id = randomUUID();
    this.ctx.db.insert(t.rules).values({ id, projectId, clipA, clipB }).run();
    return toRule(this.ctx.db.select().from(t.rules).where(eq(t.rules.id, id)).get()!);
  }

  remove(id: string): Rule {
    const row = this.ctx.db.select().from(t.rules).where(eq(t.rules.id, id)).get();
    if (!row) throw new NotFoundError(`Rule ${id} does not exist.`, { ruleId: id });
    this.ctx.db.delete(t.rules).where(eq(t.rules.id, id)).run();
    return toRule(row);
  }
}
