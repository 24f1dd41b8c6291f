import { join } from 'node:path';
import type { Combination, PlacementName, RenderSettings } from '@vmp/shared';
import type { AdCodes } from '../engine/codes/ad.ts';
import type { PlanInput } from '../engine/plan/planner.ts';
import { planOutputs } from '../engine/plan-outputs.ts';
import { fixedOutputs } from '../results/next-mix.ts';
import { writeJobToFile } from '../store/job-writer.ts';
import type { JobPlanSnapshot } from './spec.ts';

/** One output of a job before it has a folder: what `writeJob` turns into a row. */
interface DraftOutput {
  index: number;
  clipIds: string[];
  fileName: string;
  duration: number;
  headlines?: (string | null)[];
  placement?: PlacementName;
  ad?: number;
  codes?: AdCodes;
}

/** A planned job, small enough to hand the main thread: it never holds the outputs as objects. */
export interface JobDraft {
  count: number;
  /** Every clip the plan uses, once, in order of first use. */
  clipIds: string[];
  /**
   * The outputs as UTF-8 JSON, passed back to `writeJob` untouched: bytes cross a thread in one copy, where 10,000
   * output objects cost the receiving thread tens of milliseconds to rebuild (figures in scripts/bench/README.md).
   */
  outputs: Uint8Array;
}

/** Plans and names a job's outputs (`planOutputs`, the one way) with each output's length. Runs in the pool. */
export function draftJob(
  input: PlanInput,
  naming: Parameters<typeof planOutputs>[1],
  durations: Readonly<Record<string, number>>,
  /** These combinations instead of planning (the next batch from results, results/next-mix.ts). */
  fixed?: Combination[],
): JobDraft {
  const { plan, fileNames, ads } = fixed ? fixedOutputs(input, naming, fixed) : planOutputs(input, naming);
  const clipIds = new Set<string>();
  const outputs: DraftOutput[] = plan.combinations.map((c, i) => {
    for (const id of c.clipIds) clipIds.add(id);
    return {
      index: c.index,
      clipIds: c.clipIds,
      fileName: fileNames[i]!,
      duration: c.clipIds.reduce((sum, id) => sum + (durations[id] ?? 0), 0),
      ...(c.headlines ? { headlines: c.headlines } : {}),
      ...(c.placement ? { placement: c.placement } : {}),
      ...(c.ad !== undefined ? { ad: c.ad } : {}),
      ...(ads[i] ? { codes: ads[i] } : {}),
    };
  });
  return { count: plan.count, clipIds: [...clipIds], outputs: new TextEncoder().encode(JSON.stringify(outputs)) };
}

export interface JobToWrite {
  projectId: string;
  settings: RenderSettings;
  seed: number;
  outputDir: string;
  /** The snapshot without what each output brings (headlines, placements, ads, codes): from the draft's outputs. */
  snapshot: Omit<JobPlanSnapshot, 'headlines' | 'placements' | 'ads' | 'codes'>;
  /** JobDraft.outputs. */
  outputs: Uint8Array;
}

/**
 * Writes a drafted job and all its outputs in one transaction, through its own connection to the database file
 * (runs in the pool): a crash leaves the job whole or absent. Returns the job's id.
 */
export function writeJob(dbFile: string, job: JobToWrite): string {
  const drafts = JSON.parse(new TextDecoder().decode(job.outputs)) as DraftOutput[];
  const byIndex = <T>(pick: (o: DraftOutput) => T | undefined): Record<number, T> | undefined => {
    const entries = drafts.flatMap((o) => {
      const value = pick(o);
      return value === undefined ? [] : [[o.index, value] as const];
    });
    return entries.length ? Object.fromEntries(entries) : undefined;
  };
  const headlines = byIndex((o) => o.headlines);
  const placements = byIndex((o) => o.placement);
  const ads = byIndex((o) => o.ad);
  const codes = byIndex((o) => o.codes);
  const plan: JobPlanSnapshot = {
    ...job.snapshot,
    ...(headlines ? { headlines } : {}),
    ...(placements ? { placements } : {}),
    ...(ads ? { ads } : {}),
    ...(codes ? { codes } : {}),
  };
  return writeJobToFile(dbFile, {
    projectId: job.projectId,
    settings: job.settings,
    seed: job.seed,
    plan,
    outputDir: job.outputDir,
    outputs: drafts.map((o) => ({
      index: o.index,
      clipIds: o.clipIds,
      path: join(job.outputDir, o.fileName),
      duration: o.duration,
    })),
  });
}
