import { Combination, MediaInfo, RenderSettings } from '@vmp/shared';
import { z } from 'zod';

/**
 * The farm's wire contract: what the submitter puts in a BullMQ job, what a worker returns and reports as progress.
 * Paths are the submitter's; each worker maps them (path map) and checks them against its roots before use.
 */
export const FARM_PAYLOAD_VERSION = 1;
export const DEFAULT_FARM_QUEUE = 'vmp-render';
export const FARM_JOB_NAME = 'render-batch';

export const FarmSource = z.object({
  id: z.string().min(1),
  path: z.string().min(1),
  hash: z.string().min(1),
  info: MediaInfo,
});

export const FarmOutput = z.object({
  combination: Combination,
  /** Planned final name (planFileNames), so every attempt writes the same file. */
  fileName: z.string().min(1),
});

export const FarmBatch = z.object({
  version: z.literal(FARM_PAYLOAD_VERSION),
  /** One submission (`vmp mix --farm` run); every batch of it shares this id. */
  runId: z.string().min(1),
  projectName: z.string(),
  /** Submitter's output folder. */
  outDir: z.string().min(1),
  /** creation_time of every output of the run (ISO); also how a retry recognises an output it already made. */
  createdAt: z.iso.datetime(),
  settings: RenderSettings,
  sources: z.array(FarmSource).min(1),
  outputs: z.array(FarmOutput).min(1),
  /** Who submitted: credits and licences stay with that machine. */
  submitter: z.string(),
});
export type FarmBatch = z.infer<typeof FarmBatch>;

/** A finished output; the submitter knows its path and clips from its own plan. */
export const FarmOutputDone = z.object({
  index: z.number().int().nonnegative(),
  /** Seconds (as OutputResult.duration). */
  duration: z.number(),
  seed: z.number(),
  /** "host:pid" of the worker that rendered it. */
  worker: z.string(),
});
export type FarmOutputDone = z.infer<typeof FarmOutputDone>;

export const FarmOutputFailed = z.object({
  index: z.number().int().nonnegative(),
  code: z.string(),
  message: z.string(),
});
export type FarmOutputFailed = z.infer<typeof FarmOutputFailed>;

export const FarmBatchResult = z.object({
  outputs: z.array(FarmOutputDone),
  failed: z.array(FarmOutputFailed),
  worker: z.string(),
});
export type FarmBatchResult = z.infer<typeof FarmBatchResult>;

/** Job progress (BullMQ `job.updateProgress`): per-output fractions and the outputs finished so far. */
export const FarmProgress = z.object({
  worker: z.string(),
  fractions: z.record(z.string(), z.number()),
  done: z.array(FarmOutputDone),
});
export type FarmProgress = z.infer<typeof FarmProgress>;

/** BullMQ job ids: the run id and the batch number (no ':' — BullMQ reserves it). */
export function batchJobId(runId: string, batch: number): string {
  return `${runId}-b${batch}`;
}

/** "host:pid", the name a worker puts on every output it renders. */
export function workerName(host: string, pid: number): string {
  return `${host}:${pid}`;
}
