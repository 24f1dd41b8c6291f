import type { Combination } from '@vmp/shared';
import { AppError } from '@vmp/shared/errors';
import { outputSeed } from '../engine/render/naming.ts';
import type { OutputProgress, OutputResult } from '../engine/render/types.ts';
import { FarmBatchResult, type FarmOutputDone, FarmProgress } from './payload.ts';

/** A batch the farm gave up on (retries spent, or refused by every worker that tried): says why, per output. */
export class FarmBatchFailedError extends AppError {
  constructor(message: string, details: { jobId: string; index: number }) {
    super('FARM_BATCH_FAILED', message, { status: 502, details });
  }
}

export type FarmOutputResult = OutputResult & { worker: string };

/** One planned output of a run, as the submitter sees it. */
export interface TrackedOutput {
  combination: Combination;
  /** Final path (submitter's). */
  path: string;
  /** Source paths in play order. */
  sources: string[];
  /** Project seed (for the per-output seed when a worker did not say). */
  seed: number;
}

export interface TrackerHooks {
  onProgress?: (progress: OutputProgress) => void;
  onOutputDone?: (result: FarmOutputResult) => void;
  onOutputFailed?: (index: number, error: Error) => void;
  /** A worker ("host:pid") took the batch of this unfinished output (final `path`): once per output and worker. */
  onOutputWorker?: (index: number, worker: string, path: string) => void;
}

/**
 * What the submitter knows about a run: per-output progress, each output done or failed exactly once whatever
 * order and how often workers and Redis tell it (progress events, job state polls, retries).
 */
export class FarmRunTracker {
  readonly done = new Map<number, FarmOutputResult>();
  readonly failed = new Map<number, Error>();
  private readonly byIndex: Map<number, TrackedOutput>;
  private readonly workers = new Map<number, string>();

  constructor(
    outputs: readonly TrackedOutput[],
    private readonly hooks: TrackerHooks,
  ) {
    this.byIndex = new Map(outputs.map((o) => [o.combination.index, o]));
  }

  private settled(index: number): boolean {
    return this.done.has(index) || this.failed.has(index);
  }

  private report(index: number, phase: 'rendering' | 'done', fraction: number): void {
    this.hooks.onProgress?.({ index, phase, fraction });
  }

  markDone(entry: FarmOutputDone): void {
    const planned = this.byIndex.get(entry.index);
    if (!planned || this.settled(entry.index)) return;
    const result: FarmOutputResult = {
      index: entry.index,
      path: planned.path,
      clipIds: [...planned.combination.clipIds],
      sources: [...planned.sources],
      duration: entry.duration,
      seed: entry.seed || outputSeed(planned.seed, entry.index),
      worker: entry.worker,
    };
    this.done.set(entry.index, result);
    this.report(entry.index, 'done', 1);
    this.hooks.onOutputDone?.(result);
  }

  markFailed(index: number, error: Error): void {
    if (!this.byIndex.has(index) || this.settled(index)) return;
    this.failed.set(index, error);
    this.report(index, 'done', 1);
    this.hooks.onOutputFailed?.(index, error);
  }

  /**
   * A worker's job progress (BullMQ progress event or the job's stored progress) for the batch of `indices`: its
   * first report, sent as soon as a worker takes the batch, names the worker of the batch's unfinished outputs.
   */
  progress(data: unknown, indices: readonly number[] = []): void {
    const parsed = FarmProgress.safeParse(data);
    if (!parsed.success) return;
    for (const entry of parsed.data.done) this.markDone(entry);
    const { worker } = parsed.data;
    for (const index of indices) {
      const planned = this.byIndex.get(index);
      if (!planned || this.settled(index) || this.workers.get(index) === worker) continue;
      this.workers.set(index, worker);
      this.hooks.onOutputWorker?.(index, worker, planned.path);
    }
    for (const [key, fraction] of Object.entries(parsed.data.fractions)) {
      const index = Number(key);
      if (this.byIndex.has(index) && !this.settled(index)) this.report(index, 'rendering', fraction);
    }
  }

  /** A batch reached a final state: its result counts; whatever it did not finish fails with the reason. */
  batchFinished(jobId: string, indices: readonly number[], state: { returnvalue: unknown; failedReason?: string }) {
    const result = FarmBatchResult.safeParse(state.returnvalue);
    if (!state.failedReason && result.success) {
      for (const entry of result.data.outputs) this.markDone(entry);
      for (const f of result.data.failed) {
        const message = `${f.message} (worker ${result.data.worker})`;
        this.markFailed(f.index, new FarmBatchFailedError(message, { jobId, index: f.index }));
      }
    }
    const reason = state.failedReason || (result.success ? 'not rendered' : 'the worker returned no result');
    for (const index of indices) {
      const message = `Output ${index + 1} failed on the farm: ${reason}`;
      this.markFailed(index, new FarmBatchFailedError(message, { jobId, index }));
    }
  }

  /** The batch is gone from Redis (removed, or a Redis without persistence restarted). */
  batchLost(jobId: string, indices: readonly number[]): void {
    const message = `The farm lost batch ${jobId} (outputs ${indices.map((i) => i + 1).join(', ')}): Redis restarted without persistence? Run the same command again; finished outputs are kept.`;
    for (const index of indices) this.markFailed(index, new FarmBatchFailedError(message, { jobId, index }));
  }

  results(): { outputs: FarmOutputResult[]; failed: { index: number; error: Error }[]; cancelled: number[] } {
    return {
      cancelled: [],
      outputs: [...this.done.values()].sort((a, b) => a.index - b.index),
      failed: [...this.failed.entries()].map(([index, error]) => ({ index, error })).sort((a, b) => a.index - b.index),
    };
  }
}
