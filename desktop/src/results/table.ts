import type { ComponentResult, ResultsSummary } from './compute.ts';
import { MIN_IMPRESSIONS } from './compute.ts';

const int = (n: number) => Math.round(n).toLocaleString('en-US');
const pct = (x: number | null) => (x === null ? '–' : `${(x * 100).toFixed(2)} %`);
const money = (x: number | null) => (x === null ? '–' : x.toFixed(2));

function line(c: ComponentResult): string[] {
  const ctr = c.ctr === null ? '–' : `${pct(c.ctr)} [${(c.ctrLow! * 100).toFixed(2)}–${(c.ctrHigh! * 100).toFixed(2)}]`;
  return [
    c.rank === null ? '–' : String(c.rank),
    c.code,
    int(c.impressions),
    int(c.clicks),
    c.enoughData ? ctr : `not enough data${c.impressions ? ` (${ctr})` : ''}`,
    pct(c.hookRate),
    money(c.spend),
    int(c.conversions),
    money(c.cpa),
  ];
}

/** `vmp results` as text: one table per group (best CTR first), then the rows that matched no ad. */
export function resultsTable(summary: ResultsSummary, minImpressions = MIN_IMPRESSIONS): string {
  const head = ['rank', 'code', 'impressions', 'clicks', 'CTR [95 %]', 'hook rate', 'spend', 'conv.', 'CPA'];
  const out: string[] = [];
  const groups = [...new Set(summary.components.map((c) => c.group))];
  for (const group of groups) {
    const rows = summary.components
      .filter((c) => c.group === group)
      .sort((a, b) => (a.rank ?? 1e9) - (b.rank ?? 1e9) || b.impressions - a.impressions);
    const cells = [head, ...rows.map(line)];
    const widths = head.map((_, i) => Math.max(...cells.map((r) => r[i]!.length)));
    out.push(group === 'headline' ? 'Headline' : group);
    for (const r of cells)
      out.push(
        `  ${r.map((cell, i) => (i >= 2 && i !== 4 ? cell.padStart(widths[i]!) : cell.padEnd(widths[i]!))).join('  ')}`.trimEnd(),
      );
    out.push('');
  }
  out.push(
    `Ranked by CTR among components with at least ${int(minImpressions)} impressions; intervals are 95 % Wilson.`,
  );
  if (summary.unmatched.length) {
    out.push('', `Rows that match no ad (${summary.unmatched.length}):`);
    for (const u of summary.unmatched) {
      out.push(`  ${u.file ?? ''}${u.file ? ':' : 'line '}${u.line}  "${u.adName}"  ${int(u.impressions)} impressions`);
    }
  }
  return `${out.join('\n')}\n`;
}
