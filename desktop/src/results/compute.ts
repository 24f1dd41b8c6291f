import { createMatcher } from './match.ts';
import type { ReportRow } from './report.ts';
import { wilson } from './stats.ts';

/** An ad as the outputs name it: what a report row is matched to. */
export interface AdRef {
  adName: string;
  adId: string;
  /** Group name → clip code, plus `headline`. */
  components: Record<string, string>;
}

/** Below this many impressions a component is "not enough data": shown, never ranked. */
export const MIN_IMPRESSIONS = 1000;

export interface ComponentResult {
  group: string;
  code: string;
  impressions: number;
  clicks: number;
  spend: number;
  conversions: number;
  /** Rates as fractions; null without impressions. */
  ctr: number | null;
  ctrLow: number | null;
  ctrHigh: number | null;
  /** Hook-length video views / impressions (rows that report views only); null when no row does. */
  hookRate: number | null;
  hookRateLow: number | null;
  hookRateHigh: number | null;
  /** Spend per conversion; null without conversions. */
  cpa: number | null;
  /** Ads (distinct adNames) with rows. */
  ads: number;
  enoughData: boolean;
  /** 1 = best CTR in its group among components with enough data; null otherwise. */
  rank: number | null;
}

export interface UnmatchedRow {
  file?: string;
  line: number;
  adName: string;
  adId: string | null;
  impressions: number;
  clicks: number;
  spend: number;
}

export interface ResultsSummary {
  components: ComponentResult[];
  unmatched: UnmatchedRow[];
  matchedRows: number;
}

interface Acc {
  group: string;
  code: string;
  impressions: number;
  clicks: number;
  spend: number;
  conversions: number;
  hookViews: number;
  hookImpressions: number;
  ads: Set<string>;
}

/**
 * Per component (every code of every group, headline last): figures summed over the rows of the ads that use it,
 * rates with 95 % Wilson intervals, CPA, rank in its group. Rows that match no ad come back in `unmatched`.
 */
export function computeResults(
  rows: ReadonlyArray<ReportRow & { file?: string }>,
  ads: readonly AdRef[],
  minImpressions = MIN_IMPRESSIONS,
): ResultsSummary {
  const byName = new Map(ads.map((a) => [a.adName, a]));
  const accs = new Map<string, Acc>();
  const accFor = (group: string, code: string) => {
    const key = `${group}\u0000${code}`;
    let acc = accs.get(key);
    if (!acc) {
      acc = {
        group,
        code,
        impressions: 0,
        clicks: 0,
        spend: 0,
        conversions: 0,
        hookViews: 0,
        hookImpressions: 0,
        ads: new Set(),
      };
      accs.set(key, acc);
    }
    return acc;
  };
  // Every known component is listed, with or without data; groups in the ads' order, headline last.
  const entries = (a: AdRef) =>
    Object.entries(a.components).sort(([x], [y]) => Number(x === 'headline') - Number(y === 'headline'));
  for (const ad of ads) for (const [group, code] of entries(ad)) accFor(group, code);

  const match = createMatcher(ads);
  const unmatched: UnmatchedRow[] = [];
  let matchedRows = 0;
  for (const row of rows) {
    const name = match(row);
    const ad = name === null ? undefined : byName.get(name);
    if (!ad) {
      unmatched.push({
        ...(row.file ? { file: row.file } : {}),
        line: row.line,
        adName: row.adName,
        adId: row.adId,
        impressions: row.impressions,
        clicks: row.clicks,
        spend: row.spend,
      });
      continue;
    }
    matchedRows++;
    for (const [group, code] of entries(ad)) {
      const acc = accFor(group, code);
      acc.impressions += row.impressions;
      acc.clicks += row.clicks;
      acc.spend += row.spend;
      acc.conversions += row.conversions;
      if (row.hookViews !== null) {
        acc.hookViews += row.hookViews;
        acc.hookImpressions += row.impressions;
      }
      acc.ads.add(ad.adName);
    }
  }

  const components = [...accs.values()].map((a): ComponentResult => {
    const [ctrLow, ctrHigh] = a.impressions > 0 ? wilson(a.clicks, a.impressions) : [null, null];
    const [hookLow, hookHigh] = a.hookImpressions > 0 ? wilson(a.hookViews, a.hookImpressions) : [null, null];
    return {
      group: a.group,
      code: a.code,
      impressions: a.impressions,
      clicks: a.clicks,
      spend: round(a.spend),
      conversions: a.conversions,
      ctr: a.impressions > 0 ? a.clicks / a.impressions : null,
      ctrLow,
      ctrHigh,
      hookRate: a.hookImpressions > 0 ? a.hookViews / a.hookImpressions : null,
      hookRateLow: hookLow,
      hookRateHigh: hookHigh,
      cpa: a.conversions > 0 ? round(a.spend / a.conversions) : null,
      ads: a.ads.size,
      enoughData: a.impressions >= minImpressions,
      rank: null,
    };
  });
  for (const group of new Set(components.map((c) => c.group))) {
    components
      .filter((c) => c.group === group && c.enoughData)
      .sort((x, y) => y.ctr! - x.ctr! || y.impressions - x.impressions)
      .forEach((c, i) => {
        c.rank = i + 1;
      });
  }
  return { components, unmatched, matchedRows };
}

const round = (n: number) => Math.round(n * 1e6) / 1e6;
