import type { ApiHandlers, ColumnMapping, ResultsView } from '@vmp/shared/api';
import { ValidationError } from '@vmp/shared/errors';
import type { CoreContext } from '../core/context.ts';
import { startJob } from '../core/jobs.ts';
import { planInputFor } from '../core/plan.ts';
import { adCodesFor } from '../engine/codes/index.ts';
import type { JobPlanSnapshot } from '../queue/spec.ts';
import type { Store } from '../store/store.ts';
import { effectiveRows } from './accumulate.ts';
import { type AdRef, computeResults, MIN_IMPRESSIONS } from './compute.ts';
import { nextBatchFor } from './next-mix.ts';
import { ensureCodes, listCodes } from './project-codes.ts';
import { parseReport } from './report.ts';

type ResultHandlers = Pick<
  ApiHandlers,
  | 'codes.list'
  | 'codes.rename'
  | 'results.get'
  | 'results.import'
  | 'results.removeImport'
  | 'results.nextBatch'
  | 'results.renderNextBatch'
>;

/**
 * The ads the project has rendered, here or on another machine (synced), named by the current codes, one per adName.
 */
export function projectAds(store: Store, projectId: string): AdRef[] {
  const book = ensureCodes(store, projectId);
  const outputs = store.outputs.list({ projectId, limit: 1_000_000 }).items;
  const snapshots = new Map<string, JobPlanSnapshot>();
  const ads = new Map<string, AdRef>();
  for (const o of outputs) {
    if (!snapshots.has(o.jobId)) snapshots.set(o.jobId, store.jobs.withPlan(o.jobId).plan as JobPlanSnapshot);
    const ad = adCodesFor(book, o.clipIds, snapshots.get(o.jobId)?.headlines?.[o.index]);
    if (ad) ads.set(ad.adName, ad);
  }
  for (const synced of store.results.syncedAds(projectId)) {
    const ad = adCodesFor(book, synced.clipIds, synced.headlines);
    if (ad && !ads.has(ad.adName)) ads.set(ad.adName, ad);
  }
  return [...ads.values()];
}

export function resultsView(store: Store, projectId: string): ResultsView {
  const imports = store.results.list(projectId);
  const rows = effectiveRows(
    imports.map((imp) => ({ rows: imp.rows.map((r) => ({ ...r, file: imp.file, importId: imp.id })) })),
  );
  const ads = projectAds(store, projectId);
  const summary = computeResults(rows, ads);
  const counted = new Map<string, number>();
  for (const r of rows) counted.set(r.importId, (counted.get(r.importId) ?? 0) + 1);
  return {
    components: summary.components,
    unmatched: summary.unmatched,
    imports: imports.map((imp) => ({
      id: imp.id,
      file: imp.file,
      platform: imp.platform,
      currency: imp.currency,
      importedAt: imp.importedAt,
      rows: imp.rows.length,
      counted: counted.get(imp.id) ?? 0,
    })),
    ads: ads.length,
    minImpressions: MIN_IMPRESSIONS,
    currency: imports.findLast((i) => i.currency)?.currency ?? null,
  };
}

/** codes.* and results.*: component codes, imported reports and the next batch, for the app and `vmp serve`. */
export function resultHandlers(ctx: CoreContext): ResultHandlers {
  const { store } = ctx;
  return {
    async 'codes.list'({ projectId }) {
      return listCodes(store, projectId);
    },
    async 'codes.rename'({ projectId, code, to }) {
      ensureCodes(store, projectId);
      store.codes.rename(projectId, code, to);
      ctx.projectChanged(projectId);
      return listCodes(store, projectId);
    },
    async 'results.get'({ projectId }) {
      store.projects.get(projectId);
      return resultsView(store, projectId);
    },
    async 'results.import'({ projectId, file, mapping }) {
      store.projects.get(projectId);
      // Throws NotCsvError / MissingColumnsError before anything is written: earlier imports stay as they were.
      const report = parseReport(file.name, file.content, (mapping ?? {}) as ColumnMapping);
      store.results.add(projectId, report);
      ctx.projectChanged(projectId);
      return resultsView(store, projectId);
    },
    async 'results.removeImport'({ projectId, importId }) {
      if (!store.results.list(projectId).some((i) => i.id === importId)) {
        throw new ValidationError(`importId: no import ${importId} in this project.`, { field: 'importId' });
      }
      store.results.remove(importId);
      ctx.projectChanged(projectId);
      return resultsView(store, projectId);
    },
    async 'results.nextBatch'({ projectId, count, exploration }) {
      const { next, book } = planNext(store, projectId, count, exploration);
      return {
        combinations: next.combinations.map((c) => ({
          adName: adCodesFor(book, c.clipIds, c.headlines)?.adName ?? '',
          clipIds: c.clipIds,
          ...(c.headlines ? { headlines: c.headlines } : {}),
        })),
        explain: next.explain,
        untried: next.untried,
      };
    },
    async 'results.renderNextBatch'({ projectId, count, exploration }) {
      const { next } = planNext(store, projectId, count, exploration);
      return startJob(ctx, projectId, next.combinations);
    },
  };
}

/** The next batch of a project from its imports (shared by the preview and the render). */
function planNext(store: Store, projectId: string, count: number, exploration: number | undefined) {
  const project = store.projects.get(projectId);
  if (project.mode !== 'manual') {
    throw new ValidationError('The next batch needs a project in groups (hooks, bodies…): results are per component.');
  }
  const detail = {
    project,
    clips: store.clips.list(projectId),
    groups: store.groups.list(projectId),
    rules: store.rules.list(projectId),
  };
  const { input } = planInputFor(detail);
  if (input.mode !== 'manual') throw new ValidationError('The next batch needs a project in groups.');
  const book = ensureCodes(store, projectId);
  const imports = store.results.list(projectId);
  const next = nextBatchFor({
    input,
    book,
    previous: projectAds(store, projectId),
    rows: effectiveRows(imports),
    count,
    ...(exploration === undefined ? {} : { exploration }),
  });
  return { next, book };
}
