import { type ColumnMapping, ReportField } from '@vmp/shared/api';
import { parseCsv } from './csv.ts';
import { MissingColumnsError } from './errors.ts';
import { parseNumber } from './numbers.ts';

/** What a result row can hold (the app API's ReportField); `--map field=column` and the mapping dialog use these. */
export const REPORT_FIELDS = ReportField.options;
export type { ColumnMapping, ReportField };
export const REQUIRED_FIELDS: readonly ReportField[] = ['adName', 'impressions'];

export type ReportPlatform = 'meta' | 'tiktok' | 'other';

/** One ad's figures for one date range, as read from a report. */
export interface ReportRow {
  /** 1-based line of the CSV record (header = 1). */
  line: number;
  adName: string;
  adId: string | null;
  impressions: number;
  clicks: number;
  spend: number;
  conversions: number;
  /** 3-second (Meta) or 2-second (TikTok) video plays; null when the report has none. */
  hookViews: number | null;
  /** Reporting range as exported (ISO date when readable); "" when the report has no dates. */
  start: string;
  end: string;
}

export interface ParsedReport {
  file: string;
  platform: ReportPlatform;
  /** Currency of `spend` when the header names it ("Amount spent (EUR)"). */
  currency: string | null;
  /** The column each field was read from. */
  columns: ColumnMapping;
  rows: ReportRow[];
  /** Cells that are not numbers, named by line and column (read as 0). */
  warnings: string[];
}

type Matcher = string | RegExp;
// Header names as the platforms export them, first match wins.
const META: Partial<Record<ReportField, Matcher[]>> = {
  adName: ['Ad name'],
  adId: ['Ad ID'],
  impressions: ['Impressions'],
  clicks: ['Link clicks', 'Clicks (all)'],
  spend: [/^Amount spent( \(.*\))?$/i],
  conversions: ['Results', 'Purchases', 'Leads'],
  hookViews: ['3-second video plays', '3-second video views'],
  start: ['Reporting starts', 'Day'],
  end: ['Reporting ends', 'Day'],
};
const TIKTOK: Partial<Record<ReportField, Matcher[]>> = {
  adName: ['Ad name', 'Ad Name'],
  adId: ['Ad ID'],
  impressions: ['Impressions'],
  clicks: ['Clicks (destination)', 'Clicks'],
  spend: [/^Cost( \(.*\))?$/i, /^Total cost/i],
  conversions: ['Conversions', 'Result', 'Results'],
  hookViews: ['2-second video views', 'Video views at 2s'],
  start: ['By Day', 'Date', 'Reporting starts'],
  end: ['By Day', 'Date', 'Reporting ends'],
};
// Any other CSV: common spellings, before the user's mapping (which wins).
const OTHER: Partial<Record<ReportField, Matcher[]>> = {
  adName: [/^ad[\s_-]?name$/i, /^ad$/i, /^creative[\s_-]?name$/i],
  adId: [/^ad[\s_-]?id$/i],
  impressions: [/^impr(essions|\.)?$/i],
  clicks: [/^(link[\s_-]?)?clicks$/i],
  spend: [/^(spend|cost|amount spent)( \(.*\))?$/i],
  conversions: [/^(conversions|results|purchases)$/i],
  hookViews: [/^(3|2)-?s(econd)?[\s_-]?(video[\s_-]?)?(views|plays)$/i],
  start: [/^(reporting[\s_-]?)?start(s)?$/i, /^date$/i, /^day$/i],
  end: [/^(reporting[\s_-]?)?end(s)?$/i, /^date$/i, /^day$/i],
};

function findColumn(headers: readonly string[], matchers: Matcher[] | undefined): string | undefined {
  for (const m of matchers ?? []) {
    const hit = headers.find((h) => (typeof m === 'string' ? h.toLowerCase() === m.toLowerCase() : m.test(h)));
    if (hit !== undefined) return hit;
  }
  return undefined;
}

/** Meta and TikTok are told apart by columns only they export. */
export function detectPlatform(headers: readonly string[]): ReportPlatform {
  const has = (name: string) => headers.some((h) => h.toLowerCase() === name.toLowerCase());
  if (has('Reporting starts') || headers.some((h) => /^Amount spent/i.test(h)) || has('3-second video plays')) {
    return 'meta';
  }
  if (has('Clicks (destination)') || has('2-second video views') || has('Cost per conversion')) return 'tiktok';
  return 'other';
}

/** "2026-03-01", "03/01/2026", "2026/3/1" → ISO date; anything else is kept as written. */
function normaliseDate(raw: string): string {
  const text = raw.trim();
  let m = /^(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})/.exec(text);
  if (m) return `${m[1]}-${m[2]!.padStart(2, '0')}-${m[3]!.padStart(2, '0')}`;
  m = /^(\d{1,2})\/(\d{1,2})\/(\d{4})$/.exec(text);
  if (m) return `${m[3]}-${m[1]!.padStart(2, '0')}-${m[2]!.padStart(2, '0')}`;
  return text;
}

/**
 * Reads a report: which platform wrote it, the column of each field (`mapping` wins over what is recognised), and
 * its rows. Throws NotCsvError, or MissingColumnsError naming the file and each missing column.
 */
export function parseReport(file: string, text: string, mapping: ColumnMapping = {}): ParsedReport {
  const [header, ...records] = parseCsv(text, file);
  const headers = header!.map((h) => h.trim());
  const platform = detectPlatform(headers);
  const known = platform === 'meta' ? META : platform === 'tiktok' ? TIKTOK : OTHER;
  const columns: ColumnMapping = {};
  for (const field of REPORT_FIELDS) {
    const wanted = mapping[field];
    const column =
      wanted !== undefined
        ? headers.find((h) => h.toLowerCase() === wanted.trim().toLowerCase())
        : findColumn(headers, known[field]);
    if (column !== undefined) columns[field] = column;
  }
  const missing = REQUIRED_FIELDS.filter((f) => columns[f] === undefined);
  if (missing.length) throw new MissingColumnsError(file, missing.map(String), headers);

  const index = Object.fromEntries(
    Object.entries(columns).map(([field, column]) => [field, headers.indexOf(column!)]),
  ) as Partial<Record<ReportField, number>>;
  const warnings: string[] = [];
  const rows = records.map((cells, i): ReportRow => {
    const line = i + 2;
    const cell = (f: ReportField) => (index[f] === undefined ? undefined : (cells[index[f]!] ?? ''));
    const num = (f: ReportField): number | null => {
      const value = parseNumber(cell(f));
      if (value !== null && Number.isNaN(value)) {
        warnings.push(`${file} line ${line}: "${cell(f)}" in column "${columns[f]}" is not a number; read as 0.`);
        return 0;
      }
      return value;
    };
    return {
      line,
      adName: (cell('adName') ?? '').trim(),
      adId: cell('adId')?.trim() || null,
      impressions: num('impressions') ?? 0,
      clicks: num('clicks') ?? 0,
      spend: num('spend') ?? 0,
      conversions: num('conversions') ?? 0,
      hookViews: index.hookViews === undefined ? null : (num('hookViews') ?? 0),
      start: normaliseDate(cell('start') ?? ''),
      end: normaliseDate(cell('end') ?? ''),
    };
  });
  const currency = columns.spend ? (/\(([A-Z]{3})\)/.exec(columns.spend)?.[1] ?? null) : null;
  return { file, platform, currency, columns, rows, warnings };
}

/** `--map impressions="Impr."` pairs → a mapping; unknown field names are refused, naming the valid ones. */
export function parseMapping(pairs: readonly string[]): ColumnMapping {
  const mapping: ColumnMapping = {};
  for (const pair of pairs) {
    const at = pair.indexOf('=');
    const field = pair.slice(0, at).trim();
    if (at <= 0 || !(REPORT_FIELDS as readonly string[]).includes(field)) {
      throw new RangeError(`--map ${pair}: use field=column with a field among ${REPORT_FIELDS.join(', ')}.`);
    }
    mapping[field as ReportField] = pair
      .slice(at + 1)
      .trim()
      .replace(/^"(.*)"$/, '$1');
  }
  return mapping;
}
