import { CancelledError } from '../errors.ts';
import type { NormaliseCache } from './cache.ts';
import { RenderFailedError } from './errors.ts';
import { anySignal, failure, type Prepared, prepare } from './prepare.ts';
import type { BatchOptions, BatchResult, OutputPhase, OutputResult, OutputSpec } from './types.ts';

/**
 * Smallest move of an output's progress (0-1) reported within a phase. FFmpeg reports twice a second, and an assembly
 * process of 8 outputs reported all 8 each time; in the app every report is an SQLite update and an event on the
 * main thread (scripts/bench/README.md, "App path = CLI path"). 5 % steps still move a bar visibly.
 */
export const PROGRESS_STEP = 0.05;

/**
 * The book-keeping of one `renderBatch` call: which outputs are in it, which are done, failed or cancelled by their
 * own signal, and the progress callbacks. Exactly one outcome per output reaches the caller.
 */
export class BatchRun {
  readonly outputs: OutputResult[] = [];
  readonly failed: { index: number; error: Error }[] = [];
  readonly cancelled: number[] = [];
  /** The outputs that could be prepared and were not cancelled before starting, in the given order. */
  readonly items: Prepared[] = [];
  private readonly ownSignal = new Map<Prepared, AbortSignal>();
  private readonly reported = new Map<number, { phase: OutputPhase; fraction: number }>();

  constructor(
    specs: readonly OutputSpec[],
    private readonly opts: BatchOptions,
  ) {
    for (const [k, spec] of specs.entries()) {
      try {
        const item = prepare(spec);
        const own = opts.outputSignals?.[k];
        if (own) this.ownSignal.set(item, own);
        if (own?.aborted) this.cancel(item);
        else this.items.push(item);
      } catch (error) {
        const index = spec.combination.index;
        this.fail(
          index,
          error instanceof RenderFailedError
            ? error
            : new RenderFailedError(`Output ${index + 1} could not be planned: ${String(error)}`, { index }, error),
        );
      }
    }
    for (const item of this.items) this.report(item.index, 'queued', 0);
  }

  get signal(): AbortSignal | undefined {
    return this.opts.signal;
  }

  fail(index: number, error: Error): void {
    this.failed.push({ index, error });
    this.opts.onOutputFailed?.(index, error);
  }

  /** A normalise or render error of `item`: a failure, its own cancel, or (the batch's cancel) rethrown. */
  settleError(item: Prepared, error: unknown): void {
    if (!(error instanceof CancelledError)) this.fail(item.index, failure(item, error));
    else if (this.cancelledAlone(item)) this.cancel(item);
    else throw error;
  }

  /** Stopped by its own signal, not the batch's (which rejects the whole batch instead). */
  cancelledAlone(item: Prepared): boolean {
    return !this.opts.signal?.aborted && this.ownSignal.get(item)?.aborted === true;
  }

  cancel(item: Prepared): void {
    if (this.cancelled.includes(item.index)) return;
    this.cancelled.push(item.index);
    this.opts.onOutputCancelled?.(item.index);
  }

  done(result: OutputResult): void {
    this.outputs.push(result);
    this.report(result.index, 'done', 1);
    this.opts.onOutputDone?.(result);
  }

  /** Reports progress; within a phase only moves of PROGRESS_STEP or more (a move back, and 1, always). */
  report(index: number, phase: OutputPhase, fraction: number): void {
    const value = Math.max(0, Math.min(1, fraction));
    const last = this.reported.get(index);
    if (last && last.phase === phase && value < 1 && value >= last.fraction && value - last.fraction < PROGRESS_STEP) {
      return;
    }
    this.reported.set(index, { phase, fraction: value });
    this.opts.onProgress?.({ index, phase, fraction: value });
  }

  /** The batch's signal and, if given, the outputs' own: aborts when any of them does. */
  signalOf(...items: Prepared[]): AbortSignal | undefined {
    return anySignal([this.opts.signal, ...items.map((item) => this.ownSignal.get(item))]);
  }

  /** Runs of outputs one FFmpeg process renders: consecutive outputs their strategy lets share one, up to `size`. */
  chunks(size: number): Prepared[][] {
    const chunks: Prepared[][] = [];
    for (const item of this.items) {
      const last = chunks[chunks.length - 1];
      const first = last?.[0];
      if (
        last &&
        first &&
        last.length < first.strategy.batchSize(size) &&
        first.strategy.canShareProcess(first, item)
      ) {
        last.push(item);
      } else chunks.push([item]);
    }
    return chunks;
  }

  result(): BatchResult {
    this.outputs.sort((a, b) => a.index - b.index);
    this.failed.sort((a, b) => a.index - b.index);
    this.cancelled.sort((a, b) => a - b);
    return { outputs: this.outputs, failed: this.failed, cancelled: this.cancelled };
  }
}

/** Normalised clips of each output of a chunk (shared and cached); outputs whose clips failed are settled here. */
export async function normaliseChunk(
  run: BatchRun,
  cache: NormaliseCache,
  chunk: readonly Prepared[],
): Promise<{ item: Prepared; paths: string[] }[]> {
  const ready: { item: Prepared; paths: string[] }[] = [];
  await Promise.all(
    chunk.map(async (item) => {
      const fractions = item.clips.map(() => 0);
      const itemSignal = run.signalOf(item);
      run.report(item.index, 'normalising', 0);
      try {
        const paths = await Promise.all(
          item.clips.map((clip, k) =>
            cache
              .get(clip, item.profile, {
                ...(itemSignal ? { signal: itemSignal } : {}),
                ...(item.texts[k] && item.strategy.burnsTextIntoIntermediates ? { text: item.texts[k] } : {}),
                onProgress: (f) => {
                  fractions[k] = f;
                  run.report(
                    item.index,
                    'normalising',
                    (0.5 * fractions.reduce((a, b) => a + b, 0)) / fractions.length,
                  );
                },
              })
              .then((path) => {
                fractions[k] = 1;
                return path;
              }),
          ),
        );
        ready.push({ item, paths });
      } catch (error) {
        run.settleError(item, error);
      }
    }),
  );
  // Keep the planned order inside the process.
  return ready.sort((a, b) => chunk.indexOf(a.item) - chunk.indexOf(b.item));
}
