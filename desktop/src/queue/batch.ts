import type { Output } from '@vmp/shared/api';
import { AppError } from '@vmp/shared/errors';
import type { RenderBatchFn } from '../engine/render/types.ts';
import type { JobRow } from '../store/rows.ts';
import { buildOutputSpecs } from './spec.ts';

/** One output of a batch in flight. */
export interface Running {
  output: Output;
  batch: Batch;
  /** Cancels this output alone (its batch mates go on). */
  controller: AbortController;
  /** Set when the queue itself stopped the output (stop, cancel, delete): the outcome is not a failure. */
  interrupted: boolean;
  /** The renderer has reported this output's outcome. */
  settled: boolean;
}

export interface Batch {
  jobId: string;
  /** Cancels the whole batch (graceful stop). */
  controller: AbortController;
  done: Promise<void>;
}

/** What the queue does with the engine's report about one output of a batch. */
export interface BatchOutcomes {
  progress(entry: Running, fraction: number): void;
  completed(entry: Running, duration: number): void;
  /** `error` null: cancelled by its own signal. */
  unfinished(entry: Running, error: unknown): void;
}

/**
 * One `renderBatch` call for these outputs of one job, each with its own signal; turns the engine's callbacks into
 * exactly one outcome per output (a batch that rejects, or forgets one, leaves none without).
 */
export async function renderBatchOf(
  renderBatch: RenderBatchFn,
  job: JobRow,
  entries: Running[],
  batch: Batch,
  outcomes: BatchOutcomes,
): Promise<void> {
  const byIndex = new Map(entries.map((e) => [e.output.index, e]));
  /** The engine's report about one output, once: later ones (a retry inside the engine) are ignored. */
  const settle = (index: number): Running | undefined => {
    const entry = byIndex.get(index);
    if (!entry || entry.settled) return undefined;
    entry.settled = true;
    return entry;
  };
  try {
    await renderBatch(
      buildOutputSpecs(
        job,
        entries.map((e) => e.output),
      ),
      {
        signal: batch.controller.signal,
        outputSignals: entries.map((e) => e.controller.signal),
        onProgress: ({ index, fraction }) => {
          const entry = byIndex.get(index);
          if (entry && !entry.settled) outcomes.progress(entry, fraction);
        },
        onOutputDone: (result) => {
          const entry = settle(result.index);
          if (entry) outcomes.completed(entry, result.duration);
        },
        onOutputFailed: (index, error) => {
          const entry = settle(index);
          if (entry) outcomes.unfinished(entry, error);
        },
        onOutputCancelled: (index) => {
          const entry = settle(index);
          if (entry) outcomes.unfinished(entry, null);
        },
      },
    );
    for (const entry of entries) {
      if (settle(entry.output.index)) {
        outcomes.unfinished(
          entry,
          new AppError('RENDER_FAILED', `Output #${entry.output.index + 1} was not rendered.`),
        );
      }
    }
  } catch (error) {
    for (const entry of entries) if (settle(entry.output.index)) outcomes.unfinished(entry, error);
  }
}
