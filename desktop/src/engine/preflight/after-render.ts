import type { NearDuplicate, PlacementName, Preflight } from '@vmp/shared';
import type { OutputResult, OutputSpec } from '../render/types.ts';
import { nearDuplicateReport } from '../similarity/index.ts';
import { drawnBoxes } from './boxes.ts';
import { preflight } from './index.ts';
import type { DrawnBox } from './rules.ts';

/** What the pre-flight found for one output, for its manifest row, its --json entry and its badge in the app. */
export interface OutputCheck {
  placement: PlacementName;
  preflight: Preflight;
  textBoxes: DrawnBox[];
}

/**
 * Pre-flight of every finished output made for a placement (one at a time: a probe and an audio decode each), then
 * the near-duplicate report over them. Outputs without a placement (plain formats) are not checked.
 */
export async function checkOutputs(
  specs: readonly OutputSpec[],
  outputs: readonly OutputResult[],
  signal?: AbortSignal,
): Promise<{ checks: Record<number, OutputCheck>; nearDuplicates: NearDuplicate[] }> {
  const specOf = new Map(specs.map((s) => [s.combination.index, s]));
  const checks: Record<number, OutputCheck> = {};
  const placed: { path: string; placement: string }[] = [];
  for (const o of outputs) {
    const spec = specOf.get(o.index);
    const placement = spec?.combination.placement;
    if (!spec || !placement) continue;
    const textBoxes = drawnBoxes(spec);
    checks[o.index] = {
      placement,
      textBoxes,
      preflight: await preflight(o.path, placement, { boxes: textBoxes, ...(signal ? { signal } : {}) }),
    };
    placed.push({ path: o.path, placement });
  }
  const nearDuplicates = await nearDuplicateReport(placed, signal ? { signal } : {});
  return { checks, nearDuplicates };
}
