import type { Combination, RenderSettings } from '@vmp/shared';
import { type AdCodes, adCodesFor, type CodeBook } from './codes/index.ts';
import { expandPlacements, type PlacementSkip } from './placement/index.ts';
import { type Plan, type PlanInput, planCombinations } from './plan/planner.ts';
import { dedupeFileNames, outputFileName, outputSeed, shortClipName } from './render/naming.ts';

/** A plan and the file name of each of its outputs, in the same order. */
export interface OutputPlan {
  plan: Plan;
  fileNames: string[];
  /** Per output (same order): its component codes, adName and adId; null without a code book. */
  ads: (AdCodes | null)[];
  /** Combinations left out of a placement they run too long for (warnings to show). */
  placementSkipped: PlacementSkip[];
}

/**
 * The one way outputs are planned and named, for `vmp mix` and the app's jobs alike: the planner's combinations,
 * then the name template expanded per output and de-duplicated across the plan.
 */
export function planOutputs(
  input: PlanInput,
  naming: {
    projectName: string;
    settings: RenderSettings;
    sourcePaths: ReadonlyMap<string, string>;
    /** Component codes of the project (engine/codes): `{codes}` in names, adName/adId in manifests. */
    codes?: CodeBook;
  },
): OutputPlan {
  const planned = planCombinations(input);
  // With placements: every combination once per placement (engine/placement); `count` then counts files.
  const lengths = new Map(
    (input.mode === 'manual' ? input.groups.flatMap((g) => g.clips) : input.clips).map((c) => [c.id, c.duration]),
  );
  const expanded = expandPlacements(planned.combinations, naming.settings, (c) =>
    c.clipIds.reduce((sum, id) => sum + (lengths.get(id) ?? 0), 0),
  );
  const plan = { ...planned, combinations: expanded.combinations, count: expanded.combinations.length };
  const ads = plan.combinations.map((c) => (naming.codes ? adCodesFor(naming.codes, c.clipIds, c.headlines) : null));
  return {
    plan,
    fileNames: planFileNames(naming.projectName, plan.combinations, naming.sourcePaths, naming.settings, ads),
    ads,
    placementSkipped: expanded.skipped,
  };
}

/** File names for a whole plan: the template expanded per output, then de-duplicated across the plan. */
export function planFileNames(
  projectName: string,
  combinations: readonly Combination[],
  sourcePaths: ReadonlyMap<string, string>,
  settings: RenderSettings,
  /** Per combination (same order), its codes for `{codes}`. */
  ads?: readonly (AdCodes | null)[],
): string[] {
  const total = combinations.reduce((max, c) => Math.max(max, c.index + 1), 0);
  const names = combinations.map((c, i) =>
    outputFileName(settings.nameTemplate, {
      project: projectName,
      index: c.index,
      total,
      clipNames: c.clipIds.map((id) => shortClipName(sourcePaths.get(id) ?? id)),
      seed: outputSeed(settings.seed, c.index),
      format: settings.format,
      texts: (c.headlines ?? []).filter((h): h is string => !!h),
      ...(ads?.[i] ? { codes: ads[i].adName } : {}),
      ...(c.placement ? { placement: c.placement } : {}),
    }),
  );
  return dedupeFileNames(names);
}
