import { statfsSync, statSync } from 'node:fs';
import { AppError } from '@vmp/shared/errors';
import { existingOutputs } from './existing.ts';
import type { BatchOptions, BatchResult, OutputResult, OutputSpec, Renderer } from './types.ts';

const NO_SPACE = /no space left on device|ENOSPC|disk quota exceeded|EDQUOT/i;

/** Whether an error (or one of its causes: FFmpeg's stderr, an fs error) says the disk is full. */
export function isDiskFull(error: unknown): boolean {
  for (let e = error, depth = 0; e && depth < 8; depth++) {
    if (typeof e !== 'object') return typeof e === 'string' && NO_SPACE.test(e);
    const { code, message, details, cause } = e as {
      code?: unknown;
      message?: unknown;
      details?: unknown;
      cause?: unknown;
    };
    if (code === 'ENOSPC' || code === 'EDQUOT' || code === 'DISK_FULL') return true;
    if (typeof message === 'string' && NO_SPACE.test(message)) return true;
    const stderr = (details as { stderr?: unknown } | undefined)?.stderr;
    if (typeof stderr === 'string' && NO_SPACE.test(stderr)) return true;
    e = cause;
  }
  return false;
}

export const mb = (bytes: number) => `${(bytes / 1024 ** 2).toFixed(1)} MB`;

/** Bytes free for us in the folder; null when the OS cannot say. */
function freeBytes(dir: string): number | null {
  try {
    const s = statfsSync(dir);
    return s.bavail * s.bsize;
  } catch {
    return null;
  }
}

export interface DiskFullFacts {
  outDir: string;
  /** Outputs complete in the folder (made now or before). */
  made: OutputResult[];
  /** Outputs of this run still to make. */
  remaining: number;
}

/** Rendering stopped at the first "no space left": says what is kept and how much room the rest needs. */
export class DiskFullError extends AppError {
  constructor(facts: DiskFullFacts, cause?: unknown) {
    const sizes = facts.made.map((o) => statSync(o.path, { throwIfNoEntry: false })?.size ?? 0).filter((s) => s > 0);
    const perVideo = sizes.length ? sizes.reduce((a, b) => a + b, 0) / sizes.length : null;
    const needed = perVideo === null ? null : Math.ceil(perVideo * facts.remaining);
    const free = freeBytes(facts.outDir);
    const plural = (n: number) => `${n} video${n === 1 ? '' : 's'}`;
    const need =
      needed === null
        ? 'No video was finished, so their size is not known yet: free some space first.'
        : `The other ${plural(facts.remaining)} need about ${mb(needed)} (${mb(perVideo!)} each, from the finished ones)` +
          `${free === null ? '' : `; ${mb(free)} is free now`}.`;
    super(
      'DISK_FULL',
      `No space left on the disk of ${facts.outDir}: stopped with ${plural(facts.made.length)} made (kept). ${need} ` +
        'Free space and run the same command again: finished videos are not rendered again.',
      {
        status: 507,
        details: {
          outDir: facts.outDir,
          made: facts.made.length,
          remaining: facts.remaining,
          neededBytes: needed,
          freeBytes: free,
        },
        cause,
      },
    );
  }
}

export interface ResumingHooks {
  /** Outputs already complete in their folder, before anything renders; they are not rendered again. */
  onExisting?(outputs: OutputResult[]): void;
  /** The outputs already complete, when the caller looked before (it priced the run on them): not looked up again. */
  existing?: ReadonlyMap<number, OutputResult>;
}

/** What the last renderBatch of a resuming renderer got done (for a caller whose own next write hits the full disk). */
export interface ResumingState {
  outputs: OutputResult[];
  failed: { index: number; error: Error }[];
}

/**
 * A renderer for runs into a folder that may hold a previous run's outputs and may fill up: renderBatch skips
 * outputs already complete there, and stops at the first "no space left" (the rest would fail the same way),
 * reporting one DiskFullError instead of one failure per remaining output. Outputs already done stay.
 */
export function resumingRenderer(inner: Renderer, hooks: ResumingHooks = {}): Renderer & { last: ResumingState } {
  const state: ResumingState = { outputs: [], failed: [] };
  async function renderBatch(specs: readonly OutputSpec[], opts: BatchOptions = {}): Promise<BatchResult> {
    const existing = hooks.existing
      ? new Map([...hooks.existing].filter(([index]) => specs.some((s) => s.combination.index === index)))
      : await existingOutputs(specs, opts.signal);
    if (existing.size > 0) hooks.onExisting?.([...existing.values()].sort((a, b) => a.index - b.index));
    state.outputs = [...existing.values()];
    state.failed = [];
    for (const result of existing.values()) {
      opts.onProgress?.({ index: result.index, phase: 'done', fraction: 1 });
      opts.onOutputDone?.(result);
    }
    const rest = specs.filter((s) => !existing.has(s.combination.index));
    const stop = new AbortController();
    const onOuterAbort = () => stop.abort();
    opts.signal?.addEventListener('abort', onOuterAbort, { once: true });
    let full: { index: number; error: unknown } | null = null;
    const finish = (): BatchResult => {
      const outputs = [...state.outputs].sort((a, b) => a.index - b.index);
      const failed = [...state.failed];
      if (full) {
        const facts = {
          outDir: specs[0]!.outDir,
          made: outputs,
          remaining: rest.length - (outputs.length - existing.size) - failed.length,
        };
        failed.push({ index: full.index, error: new DiskFullError(facts, full.error) });
      }
      state.failed = failed;
      return { outputs, failed: failed.sort((a, b) => a.index - b.index), cancelled: [] };
    };
    try {
      if (rest.length > 0) {
        await inner.renderBatch(rest, {
          signal: stop.signal,
          ...(opts.onProgress ? { onProgress: opts.onProgress } : {}),
          onOutputDone: (result) => {
            state.outputs.push(result);
            opts.onOutputDone?.(result);
          },
          onOutputFailed: (index, error) => {
            if (isDiskFull(error)) {
              full ??= { index, error };
              stop.abort();
              return;
            }
            state.failed.push({ index, error });
            opts.onOutputFailed?.(index, error);
          },
        });
      }
      return finish();
    } catch (error) {
      if (opts.signal?.aborted) throw error;
      if (!full && isDiskFull(error)) {
        // A write of the renderer's own (a concat list, a rename) hit the full disk: blame the first output not done.
        const done = new Set(state.outputs.map((o) => o.index));
        full = { index: rest.find((s) => !done.has(s.combination.index))?.combination.index ?? 0, error };
      }
      if (!full) throw error;
      return finish();
    } finally {
      opts.signal?.removeEventListener('abort', onOuterAbort);
    }
  }
  return {
    renderBatch,
    last: state,
    async renderOutput(spec, opts = {}) {
      const { outputs, failed } = await renderBatch([spec], opts);
      if (outputs[0]) return outputs[0];
      throw failed[0]!.error;
    },
    normalise: (source, settings, opts) => inner.normalise(source, settings, opts),
    setConcurrency: (concurrency) => inner.setConcurrency(concurrency),
    close: () => inner.close(),
  };
}
