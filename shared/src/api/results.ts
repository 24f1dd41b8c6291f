import { z } from 'zod';
import { Job } from './entities.ts';

// Results of ad reports (#20) and component codes: schemas of the app API's codes.* and results.* methods.

const Id = z.string().min(1).max(64);
const ProjectRef = z.object({ projectId: Id });
const Rate = z.number().min(0).max(1).nullable();

export const ReportField = z.enum([
  'adName',
  'adId',
  'impressions',
  'clicks',
  'spend',
  'conversions',
  'hookViews',
  'start',
  'end',
]);
export type ReportField = z.infer<typeof ReportField>;
export const ColumnMapping = z.partialRecord(ReportField, z.string().min(1).max(200));
export type ColumnMapping = z.infer<typeof ColumnMapping>;

export const ComponentCode = z.object({
  kind: z.enum(['clip', 'headline']),
  /** Clip id, or the headline's text. */
  key: z.string(),
  code: z.string(),
  /** Clip name or headline text, for people. */
  label: z.string(),
  /** Group the code is used in now; null: not in a group any more (the code stays reserved). */
  group: z.string().nullable(),
});
export type ComponentCode = z.infer<typeof ComponentCode>;

export const ComponentResult = z.object({
  group: z.string(),
  code: z.string(),
  impressions: z.number(),
  clicks: z.number(),
  spend: z.number(),
  conversions: z.number(),
  ctr: Rate,
  ctrLow: Rate,
  ctrHigh: Rate,
  hookRate: Rate,
  hookRateLow: Rate,
  hookRateHigh: Rate,
  cpa: z.number().nullable(),
  ads: z.number().int(),
  enoughData: z.boolean(),
  rank: z.number().int().positive().nullable(),
});
export type ComponentResult = z.infer<typeof ComponentResult>;

export const UnmatchedRow = z.object({
  file: z.string().optional(),
  line: z.number().int(),
  adName: z.string(),
  adId: z.string().nullable(),
  impressions: z.number(),
  clicks: z.number(),
  spend: z.number(),
});
export type UnmatchedRow = z.infer<typeof UnmatchedRow>;

export const ResultImport = z.object({
  id: Id,
  file: z.string(),
  platform: z.enum(['meta', 'tiktok', 'other']),
  currency: z.string().nullable(),
  importedAt: z.number().int(),
  rows: z.number().int().nonnegative(),
  /** Rows of this import that count now (a later import of the same ad and range replaces them). */
  counted: z.number().int().nonnegative(),
});
export type ResultImport = z.infer<typeof ResultImport>;

export const ResultsView = z.object({
  components: z.array(ComponentResult),
  unmatched: z.array(UnmatchedRow),
  imports: z.array(ResultImport),
  /** Distinct ads (adNames) among the project's outputs. */
  ads: z.number().int().nonnegative(),
  /** Below this many impressions a component is "not enough data". */
  minImpressions: z.number().int().positive(),
  currency: z.string().nullable(),
});
export type ResultsView = z.infer<typeof ResultsView>;

export const NextBatchPreview = z.object({
  combinations: z.array(
    z.object({
      adName: z.string(),
      clipIds: z.array(z.string()),
      headlines: z.array(z.string().nullable()).optional(),
    }),
  ),
  /** "H3 kept: CTR 3.0 % [2.7–3.3], in 4" — one line per component. */
  explain: z.array(z.string()),
  untried: z.number().int().nullable(),
});
export type NextBatchPreview = z.infer<typeof NextBatchPreview>;

const ReportFile = z.object({ name: z.string().min(1).max(255), content: z.string().max(50_000_000) });

function method<I extends z.ZodType, O extends z.ZodType>(input: I, output: O, description: string) {
  return { input, output, description };
}

export const resultsMethods = {
  'codes.list': method(
    ProjectRef,
    z.array(ComponentCode),
    "Every component code of the project (clips and headlines), kept for the project's life.",
  ),
  'codes.rename': method(
    ProjectRef.extend({ code: z.string().min(1).max(20), to: z.string().min(1).max(20) }),
    z.array(ComponentCode),
    'Change a code (same prefix, a number not used before in the project).',
  ),
  'results.get': method(ProjectRef, ResultsView, "Per-component results of the project's imported ad reports."),
  'results.import': method(
    ProjectRef.extend({ file: ReportFile, mapping: ColumnMapping.optional() }),
    ResultsView,
    'Import a Meta / TikTok Ads Manager CSV export (or any CSV with a column mapping). Errors: NOT_CSV, REPORT_COLUMNS_MISSING (details.missing, details.headers).',
  ),
  'results.removeImport': method(ProjectRef.extend({ importId: Id }), ResultsView, 'Forget one import.'),
  'results.renderNextBatch': method(
    ProjectRef.extend({ count: z.number().int().min(1).max(1000), exploration: z.number().min(0).max(1).optional() }),
    Job,
    'Plan the next batch (as results.nextBatch, same seed) and queue it as a job.',
  ),
  'results.nextBatch': method(
    ProjectRef.extend({ count: z.number().int().min(1).max(1000), exploration: z.number().min(0).max(1).optional() }),
    NextBatchPreview,
    'The next batch from the results: combinations never rendered, weighted toward winning components, explained.',
  ),
} as const;
