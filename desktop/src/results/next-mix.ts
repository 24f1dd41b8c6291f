import type { Combination, RenderSettings } from '@vmp/shared';
import { ValidationError } from '@vmp/shared/errors';
import { type AdCodes, adCodesFor, type CodeBook } from '../engine/codes/index.ts';
import type { ManualPlanInput, Plan, PlanInput } from '../engine/plan/planner.ts';
import { planFileNames } from '../engine/plan-outputs.ts';
import { type AdRef, computeResults } from './compute.ts';
import { adsOfManifest, readManifestFile } from './manifest-file.ts';
import { type BatchFactor, planNextBatch } from './next-batch.ts';
import { readReports } from './read-reports.ts';
import type { ColumnMapping, ReportRow } from './report.ts';

export interface NextMixInput {
  input: ManualPlanInput;
  book: CodeBook;
  /** manifest.json of the batch the reports are about. */
  manifest: string;
  reports: readonly string[];
  mapping?: ColumnMapping;
  /** Default: as many as the previous batch had ads. */
  count?: number;
  exploration?: number;
  naming: { projectName: string; settings: RenderSettings; sourcePaths: ReadonlyMap<string, string> };
}

/**
 * `vmp mix --next-from`: the next batch from a batch's results, as a plan `vmp mix` renders like any other
 * (combinations never run, winners weighted by Thompson sampling, see next-batch.ts), plus the lines that explain it.
 */
export async function planNextMix(
  args: NextMixInput,
): Promise<{ plan: Plan; fileNames: string[]; ads: (AdCodes | null)[]; explain: string[]; unmatched: number }> {
  const manifest = await readManifestFile(args.manifest);
  const previous = adsOfManifest(manifest, args.manifest);
  const { rows } = await readReports(args.reports, args.mapping);
  const next = nextBatchFor({
    input: args.input,
    book: args.book,
    previous,
    rows,
    count: args.count ?? previous.length,
    ...(args.exploration === undefined ? {} : { exploration: args.exploration }),
  });
  const { input } = args;
  const combinations = next.combinations;
  const ads = combinations.map((c) => adCodesFor(args.book, c.clipIds, c.headlines));
  const plan: Plan = {
    mode: 'manual',
    possible: { value: next.possible, exact: true },
    count: combinations.length,
    seed: input.seed ?? 1,
    combinations,
  };
  const fileNames = planFileNames(
    args.naming.projectName,
    combinations,
    args.naming.sourcePaths,
    args.naming.settings,
    ads,
  );
  return { plan, fileNames, ads, explain: next.explain, unmatched: next.unmatched };
}

/**
 * The next batch's combinations for a manual plan input (its groups, headlines and rules), the project's code book,
 * the ads run so far and the report rows about them: shared by `vmp mix --next-from` and the app's Next batch.
 */
export function nextBatchFor(args: {
  input: ManualPlanInput;
  book: CodeBook;
  previous: readonly AdRef[];
  rows: readonly ReportRow[];
  count: number;
  exploration?: number;
}): { combinations: Combination[]; explain: string[]; untried: number | null; possible: bigint; unmatched: number } {
  const { input, book, previous, rows, count } = args;
  const summary = computeResults(rows, previous);
  const stats = new Map(summary.components.map((c) => [c.code, { clicks: c.clicks, impressions: c.impressions }]));

  const factors: BatchFactor[] = input.groups.map((g, gi) => ({
    name: g.name,
    options: g.clips.filter((c) => c.valid !== false).map((c) => ({ key: c.id, code: book.clips[gi]?.[c.id] ?? '' })),
  }));
  const headlineGroups = input.groups.flatMap((g, gi) => (g.headlines?.length ? [gi] : []));
  for (const gi of headlineGroups) {
    const g = input.groups[gi]!;
    factors.push({
      name: `${g.name} headline`,
      options: g.headlines!.map((h) => ({ key: h.id, code: book.headlines[h.text] ?? '' })),
    });
  }
  const missing = factors.flatMap((f) => f.options.filter((o) => !o.code).map((o) => o.key));
  if (missing.length) throw new ValidationError(`No component code for ${missing.slice(0, 3).join(', ')}.`);

  const batch = planNextBatch({
    factors,
    stats,
    ran: new Set(previous.map((a) => a.adName)),
    count,
    seed: input.seed ?? 1,
    ...(args.exploration === undefined ? {} : { exploration: args.exploration }),
    ...(input.rules ? { rules: input.rules } : {}),
  });
  if (batch.combinations.length === 0) {
    throw new ValidationError(
      'Every combination of these clips has been run already (or is ruled out): add clips or headlines for a next batch.',
    );
  }
  const combinations: Combination[] = batch.combinations.map((c, index) => {
    const clipIds = c.picks.slice(0, input.groups.length).map((p, gi) => factors[gi]!.options[p]!.key);
    if (!headlineGroups.length) return { index, clipIds };
    const headlines: (string | null)[] = input.groups.map(() => null);
    headlineGroups.forEach((gi, hi) => {
      const g = input.groups[gi]!;
      const id = factors[input.groups.length + hi]!.options[c.picks[input.groups.length + hi]!]!.key;
      headlines[gi] = g.headlines!.find((h) => h.id === id)!.text;
    });
    return { index, clipIds, headlines };
  });
  const explain = [
    `Next batch: ${combinations.length} new combination${combinations.length === 1 ? '' : 's'} (${batch.untried ?? 'many'} never run) from ${rows.length} report row${rows.length === 1 ? '' : 's'}${summary.unmatched.length ? `, ${summary.unmatched.length} not matched to an ad` : ''}.`,
    ...batch.explain,
  ];
  const possible = factors.reduce((p, f) => p * BigInt(f.options.length), 1n);
  return { combinations, explain, untried: batch.untried, possible, unmatched: summary.unmatched.length };
}

/** A plan of given combinations (the next batch), named the one way (planFileNames), for the app's job draft. */
export function fixedOutputs(
  input: PlanInput,
  naming: { projectName: string; settings: RenderSettings; sourcePaths: ReadonlyMap<string, string>; codes?: CodeBook },
  combinations: Combination[],
): { plan: Plan; fileNames: string[]; ads: (AdCodes | null)[] } {
  const ads = combinations.map((c) => (naming.codes ? adCodesFor(naming.codes, c.clipIds, c.headlines) : null));
  return {
    plan: {
      mode: input.mode,
      possible: { value: BigInt(combinations.length), exact: false },
      count: combinations.length,
      seed: input.seed ?? 1,
      combinations,
    },
    fileNames: planFileNames(naming.projectName, combinations, naming.sourcePaths, naming.settings, ads),
    ads,
  };
}
