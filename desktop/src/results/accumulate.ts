import type { ReportRow } from './report.ts';

/** What makes two rows "the same ad and date range": a later import of it replaces the earlier one. */
export function rowKey(row: Pick<ReportRow, 'adName' | 'adId' | 'start' | 'end'>): string {
  return [row.adName.trim().toLowerCase(), row.adId ?? '', row.start, row.end].join('\u0000');
}

/**
 * The rows that count, from imports oldest first: every key (ad + date range) is taken from the newest import that
 * has it, so importing the same export twice, or a corrected one, never counts an ad's range twice. Rows of one
 * import with the same key (one ad name in two ad sets) are all kept: they are different ads on the platform.
 */
export function effectiveRows<R extends Pick<ReportRow, 'adName' | 'adId' | 'start' | 'end'>>(
  imports: ReadonlyArray<{ rows: readonly R[] }>,
): R[] {
  const newest = new Map<string, number>();
  imports.forEach((imp, i) => {
    for (const row of imp.rows) newest.set(rowKey(row), i);
  });
  return imports.flatMap((imp, i) => imp.rows.filter((row) => newest.get(rowKey(row)) === i));
}
