import { basename, dirname } from 'node:path';
import { type PlacementName, RenderSettings } from '@vmp/shared';
import type { Output } from '@vmp/shared/api';
import type { AdCodes } from '../engine/codes/ad.ts';
import { renderSpecs } from '../engine/render/spec.ts';
import type { OutputSpec, RenderSource } from '../engine/render/types.ts';
import type { JobRow } from '../store/rows.ts';

/** What a job stores at start so later edits to the project never change what it renders. */
export interface JobPlanSnapshot {
  projectName: string;
  sources: RenderSource[];
  creditCost: number;
  /** Headlines of each output by output index (as Combination.headlines); absent: the plan has none. */
  headlines?: Record<number, (string | null)[]>;
  /** Made for placements: each output's placement by output index (Combination.placement). */
  placements?: Record<number, PlacementName>;
  /** Made for placements: the planned combination (its ad) of each output by output index (Combination.ad). */
  ads?: Record<number, number>;
  /** Component codes, adName and adId of each output by output index (engine/codes), for the manifest. */
  codes?: Record<number, AdCodes>;
}

/**
 * The render specs of these outputs of a job, from its snapshot and each output's planned path (`renderSpecs`, the
 * one way specs are made): the same specs on every retry, whatever happened to the project since.
 */
export function buildOutputSpecs(job: JobRow, outputs: readonly Output[]): OutputSpec[] {
  const plan = job.plan as JobPlanSnapshot;
  const settings = RenderSettings.parse(job.settings);
  return outputs.flatMap((output) =>
    renderSpecs({
      projectName: plan.projectName,
      combinations: [
        {
          index: output.index,
          clipIds: output.clipIds,
          ...(plan.headlines?.[output.index] ? { headlines: plan.headlines[output.index] } : {}),
          ...(plan.placements?.[output.index] ? { placement: plan.placements[output.index] } : {}),
          ...(plan.ads?.[output.index] !== undefined ? { ad: plan.ads[output.index] } : {}),
        },
      ],
      fileNames: [basename(output.path ?? `${output.index}.mp4`)],
      sources: plan.sources,
      settings,
      outDir: output.path ? dirname(output.path) : job.outputDir,
    }),
  );
}

/** One output's render spec (as buildOutputSpecs). */
export function buildOutputSpec(job: JobRow, output: Output): OutputSpec {
  return buildOutputSpecs(job, [output])[0]!;
}
