import { z } from 'zod';
import { RenderSpec } from '../engine/render/spec.ts';

/**
 * The farm's wire contract: what the submitter puts in a BullMQ job, what a worker returns and reports as progress.
 * Paths are the submitter's; each worker maps them (path map) and checks them against its roots before use.
 */
/** 2: a batch carries render specs (engine/render/spec.ts), the same ones a local render is given. */
export const FARM_PAYLOAD_VERSION = 2;
export const DEFAULT_FARM_QUEUE = 'vmp-render';
export const FARM_JOB_NAME = 'render-batch';

export const FarmBatch = z
  .object({
    version: z.literal(FARM_PAYLOAD_VERSION),
    /** One submission (`vmp mix --farm` run); every batch of it shares this id. */
    runId: z.string().min(1),
    /** Submitter's output folder: every spec's `outDir`. */
    outDir: z.string().min(1),
    /** creation_time of every output of the run (ISO, every spec's `createdAt`); also how a retry recognises an output it already made. */
    createdAt: z.iso.datetime(),
    /** What to render: one render spec per output, exactly as the submitter would render it locally. */
    specs: z.array(RenderSpec).min(1),
    /** Who submitted: credits and licences stay with that machine. */
    submitter: z.string(),
    /** Farm without a shared folder (farm/remote): the bucket, and the files the specs name, by content hash. */
    storage: z
      .object({
        /** s3://bucket/prefix: the worker's --storage must name the same. Never credentials. */
        url: z.string().min(1),
        /** Every clip and music file the specs name (submitter's path), kept in the bucket under its hash. */
        files: z.array(z.object({ path: z.string().min(1), hash: z.string() })).min(1),
      })
      .optional(),
  })
  .refine((b) => b.specs.every((s) => s.outDir === b.outDir && s.createdAt === b.createdAt), {
    message: "Every spec of a batch names the batch's output folder and creation time.",
    path: ['specs'],
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
