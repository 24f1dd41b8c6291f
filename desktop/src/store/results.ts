import { randomUUID } from 'node:crypto';
import { asc, eq } from 'drizzle-orm';
import type { ColumnMapping, ParsedReport, ReportPlatform, ReportRow } from '../results/report.ts';
import { now, type RepoContext } from './repo.ts';
import * as t from './schema.ts';

export interface StoredImport {
  id: string;
  file: string;
  platform: ReportPlatform;
  currency: string | null;
  columns: ColumnMapping;
  importedAt: number;
  rows: ReportRow[];
}

/** Imported ad reports of a project, whole: an import is written in one transaction or not at all. */
export class ResultsRepo {
  constructor(private readonly ctx: RepoContext) {}

  add(projectId: string, report: ParsedReport): string {
    const id = randomUUID();
    this.insert(projectId, { ...report, id, importedAt: now() });
    return id;
  }

  /**
   * Replaces the project's imports with a synced document's, keeping their ids and times (so both machines order
   * them alike and the newest import of an ad's range wins on both). An id another project holds here gets a new one.
   */
  replaceAll(projectId: string, imports: readonly StoredImport[]): void {
    this.ctx.transaction(() => {
      this.ctx.db.delete(t.resultImports).where(eq(t.resultImports.projectId, projectId)).run();
      for (const imp of imports) {
        const taken = this.ctx.db.select().from(t.resultImports).where(eq(t.resultImports.id, imp.id)).get();
        this.insert(projectId, taken ? { ...imp, id: randomUUID() } : imp);
      }
    });
  }

  private insert(projectId: string, report: Omit<StoredImport, 'rows'> & { rows: readonly ReportRow[] }): void {
    const { id } = report;
    this.ctx.transaction(() => {
      this.ctx.db
        .insert(t.resultImports)
        .values({
          id,
          projectId,
          file: report.file,
          platform: report.platform,
          currency: report.currency,
          columns: report.columns,
          importedAt: report.importedAt,
        })
        .run();
      const insert = this.ctx.sqlite.prepare(
        'INSERT INTO result_rows (import_id, line, ad_name, ad_id, impressions, clicks, spend, conversions, hook_views, start, "end") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)',
      );
      for (const r of report.rows) {
        insert.run(
          id,
          r.line,
          r.adName,
          r.adId,
          r.impressions,
          r.clicks,
          r.spend,
          r.conversions,
          r.hookViews,
          r.start,
          r.end,
        );
      }
    });
  }

  /** Imports oldest first, with their rows. */
  list(projectId: string): StoredImport[] {
    const imports = this.ctx.db
      .select()
      .from(t.resultImports)
      .where(eq(t.resultImports.projectId, projectId))
      .orderBy(asc(t.resultImports.importedAt), asc(t.resultImports.id))
      .all();
    return imports.map((imp) => ({
      id: imp.id,
      file: imp.file,
      platform: imp.platform,
      currency: imp.currency,
      columns: imp.columns as ColumnMapping,
      importedAt: imp.importedAt,
      rows: this.ctx.db
        .select()
        .from(t.resultRows)
        .where(eq(t.resultRows.importId, imp.id))
        .orderBy(asc(t.resultRows.line))
        .all()
        .map(({ importId: _, ...row }) => row),
    }));
  }

  remove(importId: string): void {
    this.ctx.db.delete(t.resultImports).where(eq(t.resultImports.id, importId)).run();
  }

  /** Ads rendered on other machines (synced), as combinations of this machine's clips. */
  syncedAds(projectId: string): Array<{ clipIds: string[]; headlines: string[] }> {
    return this.ctx.db
      .select()
      .from(t.syncedAds)
      .where(eq(t.syncedAds.projectId, projectId))
      .all()
      .map((r) => ({ clipIds: JSON.parse(r.clipIds) as string[], headlines: JSON.parse(r.headlines) as string[] }));
  }

  replaceSyncedAds(projectId: string, ads: ReadonlyArray<{ clipIds: string[]; headlines: string[] }>): void {
    this.ctx.transaction(() => {
      this.ctx.db.delete(t.syncedAds).where(eq(t.syncedAds.projectId, projectId)).run();
      for (const ad of ads) {
        this.ctx.db
          .insert(t.syncedAds)
          .values({ projectId, clipIds: JSON.stringify(ad.clipIds), headlines: JSON.stringify(ad.headlines) })
          .onConflictDoNothing()
          .run();
      }
    });
  }
}
