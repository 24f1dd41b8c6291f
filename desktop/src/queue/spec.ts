import { basename, dirname } from 'node:path';
import { RenderSettings } from '@vmp/shared';
import type { Output } from '@vmp/shared/api';
import type { OutputSpec, RenderSource } from '../engine/render/types.ts';
import type { JobRow } from '../store/rows.ts';

/** What a job stores at start so later edits to the project never change what it renders. */
export interface JobPlanSnapshot {
  projectName: string;
  sources: RenderSource[];
  creditCost: number;
  /** Headlines of each output by output index (as Combination.headlines); absent: the plan has none. */
  headlines?: Record<number, (string | null)[]>;
}

/** Rebuilds the self-contained render spec of one output from its job's snapshot. Same spec on every retry. */
export function buildOutputSpec(job: JobRow, output: Output): OutputSpec {
  const plan = job.plan as JobPlanSnapshot;
  return {
    projectName: plan.projectName,
    combination: {
      index: output.index,
      clipIds: output.clipIds,
      ...(plan.headlines?.[output.index] ? { headlines: plan.headlines[output.index] } : {}),
    },
    sources: plan.sources,
    settings: RenderSettings.parse(job.settings),
    outDir: output.path ? dirname(output.path) : job.outputDir,
    fileName: basename(output.path ?? `${output.index}.mp4`),
  };
}
