import { basename, dirname } from 'node:path';
import { RenderSettings } from '@vmp/shared';
import type { Output } from '@vmp/shared/api';
import type { JobRow } from '../store/rows.ts';
import type { JobPlanSnapshot, RenderSpec } from './types.ts';

/** Rebuilds the self-contained render spec of one output from its job's snapshot. Same spec on every retry. */
export function buildRenderSpec(job: JobRow, output: Output): RenderSpec {
  const plan = job.plan as JobPlanSnapshot;
  const wanted = new Set(output.clipIds);
  return {
    projectName: plan.projectName,
    combination: {
      index: output.index,
      clipIds: output.clipIds,
      ...(plan.headlines?.[output.index] ? { headlines: plan.headlines[output.index] } : {}),
    },
    sources: plan.sources.filter((s) => wanted.has(s.id)),
    settings: RenderSettings.parse(job.settings),
    outDir: output.path ? dirname(output.path) : job.outputDir,
    fileName: basename(output.path ?? `${output.index}.mp4`),
  };
}
