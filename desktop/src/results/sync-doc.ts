import type { SyncedCode, SyncedImport, SyncedRow } from '@vmp/shared/http';
import { type CodeRecord, HEADLINE_PREFIX, parseCode } from '../engine/codes/index.ts';
import type { ProjectDoc } from '../licensing/project-sync.ts';
import type { StoredImport } from '../store/results.ts';
import type { Store } from '../store/store.ts';
import { projectAds } from './app.ts';
import type { ReportRow } from './report.ts';

/** What the codes and results add to a project's sync document (each absent when empty). */
export type ResultsDocPart = Pick<ProjectDoc, 'codes' | 'ads' | 'results'>;

/** Key of a code whose clip is not in the document (removed): it stays taken, naming nothing. */
const RETIRED = 'retired:';

/**
 * Text from a CSV as the server can store it: no NUL, no half surrogate pair (PostgreSQL refuses both, and one bad
 * cell would stop the whole project from syncing), at most `n` characters.
 */
const cut = (s: string, n: number) =>
  s
    .slice(0, n)
    .replace(/\u0000/g, '')
    .replace(/[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g, '\ufffd');
const figure = (n: number) => (Number.isFinite(n) ? n : 0);

function byCodeOrder(a: CodeRecord, b: CodeRecord): number {
  const x = parseCode(a.code);
  const y = parseCode(b.code);
  return (x?.prefix ?? a.code).localeCompare(y?.prefix ?? b.code) || (x?.n ?? 0) - (y?.n ?? 0);
}

function toTuple(r: ReportRow): SyncedRow {
  return [
    r.line,
    cut(r.adName, 2000),
    r.adId === null ? null : cut(r.adId, 200),
    figure(r.impressions),
    figure(r.clicks),
    figure(r.spend),
    figure(r.conversions),
    r.hookViews === null ? null : figure(r.hookViews),
    cut(r.start, 40),
    cut(r.end, 40),
  ];
}

function fromTuple(t: SyncedRow): ReportRow {
  const [line, adName, adId, impressions, clicks, spend, conversions, hookViews, start, end] = t;
  return { line, adName, adId, impressions, clicks, spend, conversions, hookViews, start, end };
}

/**
 * The project's codes, rendered ads and imported reports for its sync document. Clips are named by content hash
 * (`hashOf`: clip id → hash), since ids differ per machine; ads by adName, which the other machine reads back with
 * the same codes. Every code is sent, also retired ones, so neither machine ever hands one out again.
 */
export function exportResultsPart(
  store: Store,
  projectId: string,
  hashOf: ReadonlyMap<string, string>,
): ResultsDocPart {
  // First: it gives codes to clips that have none yet, so the codes below are complete.
  const ads = [...new Set(projectAds(store, projectId).map((a) => a.adName))].sort();
  const used = new Set<string>();
  const codes = store.codes
    .list(projectId)
    .sort(byCodeOrder)
    .map((r): SyncedCode => {
      if (r.prefix === HEADLINE_PREFIX) {
        return r.key.length <= 1000 && !r.key.startsWith(RETIRED)
          ? { code: r.code, headline: r.key }
          : { code: r.code };
      }
      const hash = hashOf.get(r.key);
      if (!hash || used.has(`${r.prefix}\u0000${hash}`)) return { code: r.code };
      used.add(`${r.prefix}\u0000${hash}`);
      return { code: r.code, clip: hash };
    });
  const results = store.results.list(projectId).map(
    (imp): SyncedImport => ({
      id: imp.id,
      file: cut(imp.file, 1000) || 'report.csv',
      platform: imp.platform,
      currency: imp.currency ? cut(imp.currency, 20) : null,
      columns: imp.columns,
      importedAt: imp.importedAt,
      rows: imp.rows.map(toTuple),
    }),
  );
  return {
    ...(codes.length ? { codes } : {}),
    ...(ads.length ? { ads } : {}),
    ...(results.length ? { results } : {}),
  };
}

/**
 * Applies a pulled document's codes, ads and reports to the project (after its clips: `byHash` maps a content hash
 * to this machine's clip id). Each replaces what the project had (codes it does not name stay reserved): the document is the project as last synced, and
 * a machine that changed it meanwhile gets a conflict instead. Reports keep their import ids and times, so the
 * accumulate rule (the newest import of an ad's range counts) picks the same rows on both machines.
 */
export function importResultsPart(
  store: Store,
  projectId: string,
  doc: ResultsDocPart,
  byHash: ReadonlyMap<string, string>,
): void {
  const records: CodeRecord[] = [];
  const codes = new Set<string>();
  const keys = new Set<string>();
  for (const c of doc.codes ?? []) {
    const parsed = parseCode(c.code);
    if (!parsed || codes.has(c.code)) continue;
    let key = `${RETIRED}${c.code}`;
    if (c.headline !== undefined && parsed.prefix === HEADLINE_PREFIX) key = c.headline;
    else if (c.clip !== undefined && parsed.prefix !== HEADLINE_PREFIX && byHash.has(c.clip)) key = byHash.get(c.clip)!;
    // A clip (or headline) named twice under one prefix keeps its first code; the second stays taken.
    if (keys.has(`${parsed.prefix}\u0000${key}`)) key = `${RETIRED}${c.code}`;
    codes.add(c.code);
    keys.add(`${parsed.prefix}\u0000${key}`);
    records.push({ prefix: parsed.prefix, key, code: c.code });
  }
  // Codes this machine has and the document does not name (a document from an app before codes) stay taken: a code
  // is never handed out twice. One the document gives to the same clip, or to another, yields.
  for (const r of store.codes.list(projectId)) {
    if (codes.has(r.code) || keys.has(`${r.prefix}\u0000${r.key}`)) continue;
    codes.add(r.code);
    records.push(r);
  }
  store.codes.replaceAll(projectId, records);

  const byCode = new Map(records.map((r) => [r.code, r]));
  const ads: Array<{ clipIds: string[]; headlines: string[] }> = [];
  for (const name of doc.ads ?? []) {
    const clipIds: string[] = [];
    const headlines: string[] = [];
    const known = name.split('-').every((code) => {
      const r = byCode.get(code);
      if (!r || r.key.startsWith(RETIRED)) return false;
      (r.prefix === HEADLINE_PREFIX ? headlines : clipIds).push(r.key);
      return true;
    });
    if (known) ads.push({ clipIds, headlines });
  }
  store.results.replaceSyncedAds(projectId, ads);

  store.results.replaceAll(
    projectId,
    (doc.results ?? []).map(
      (imp): StoredImport => ({
        id: imp.id,
        file: imp.file,
        platform: imp.platform,
        currency: imp.currency,
        columns: imp.columns,
        importedAt: imp.importedAt,
        rows: imp.rows.map(fromTuple),
      }),
    ),
  );
}
