import { eq } from 'drizzle-orm';
import type { RepoContext } from './repo.ts';
import * as t from './schema.ts';

/** Key → JSON value pairs (app settings, queue pause flag). */
export class SettingsRepo {
  constructor(private readonly ctx: RepoContext) {}

  get<T>(key: string): T | undefined {
    const row = this.ctx.db.select().from(t.settings).where(eq(t.settings.key, key)).get();
    return row ? (row.value as T) : undefined;
  }

  set(key: string, value: unknown): void {
    this.ctx.db
      .insert(t.settings)
      .values({ key, value })
      .onConflictDoUpdate({ target: t.settings.key, set: { value } })
      .run();
  }
}
