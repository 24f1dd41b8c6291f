import { CancelledError } from '../errors.ts';
import { FfmpegPool } from '../pool/pool.ts';
import { resolveProfile } from '../profiles/profile.ts';
import { assemble } from './assemble.ts';
import { BatchRun, normaliseChunk } from './batch-run.ts';
import { NormaliseCache } from './cache.ts';
import { RenderFailedError } from './errors.ts';
import { discardPart } from './part-file.ts';
import { SharedAudio } from './shared-audio.ts';
import type { BatchOptions, BatchResult, OutputSpec, Renderer, RendererOptions, RenderOptions } from './types.ts';

/**
 * Outputs per assembly process (fast strategy): 8 shares process start-up without leaving one process with all the
 * work (figures in scripts/bench/README.md). A failed batch is retried one output at a time.
 */
export const DEFAULT_ASSEMBLY_BATCH = 8;

/**
 * The render engine for single outputs and batches. One instance per app (it runs FFmpeg in a worker pool, its own
 * or the caller's); the CLI's `mix`, the desktop render queue and a farm worker all sit on it. It renders render
 * specs (spec.ts) and nothing else; how is each spec's strategy's business (strategy/).
 *
 * ```ts
 * const renderer = createRenderer({ cacheDir, concurrency: 2 });
 * const result = await renderer.renderOutput(spec, { signal, onProgress: (p) => save(p.index, p.fraction) });
 * await renderer.close();
 * ```
 */
export function createRenderer(options: RendererOptions): Renderer {
  const pool =
    options.pool ??
    new FfmpegPool({
      ...(options.concurrency ? { concurrency: options.concurrency } : {}),
      ...(options.onCommand ? { onCommand: options.onCommand } : {}),
    });
  const cache = new NormaliseCache(options.cacheDir, (job, o) => pool.run(job, o));
  const batchSize = Math.max(1, options.assemblyBatch ?? DEFAULT_ASSEMBLY_BATCH);
  const ctx = { pool, cache, cacheDir: options.cacheDir, sharedAudio: new SharedAudio() };

  async function renderBatch(specs: readonly OutputSpec[], opts: BatchOptions = {}): Promise<BatchResult> {
    const { signal } = opts;
    if (signal?.aborted) throw new CancelledError();
    const run = new BatchRun(specs, opts);
    const settled = await Promise.allSettled(
      run.chunks(batchSize).map(async (chunk) => assemble(ctx, run, await normaliseChunk(run, cache, chunk))),
    );
    // Whatever stopped, no .part survives.
    await Promise.all(run.items.map((item) => discardPart(item.partPath)));
    if (signal?.aborted || settled.some((s) => s.status === 'rejected' && s.reason instanceof CancelledError)) {
      throw new CancelledError();
    }
    for (const s of settled) if (s.status === 'rejected') throw s.reason;
    return run.result();
  }

  return {
    renderBatch,
    async renderOutput(spec: OutputSpec, opts: RenderOptions = {}) {
      const { outputs, failed } = await renderBatch([spec], opts);
      const done = outputs[0];
      if (done) return done;
      throw failed[0]?.error ?? new RenderFailedError(`Output ${spec.combination.index + 1} was not rendered.`, {});
    },
    normalise(source, settings, opts = {}) {
      return cache.get(source, resolveProfile(settings), opts.signal ? { signal: opts.signal } : {});
    },
    setConcurrency: (concurrency) => pool.setConcurrency(concurrency),
    // A pool given by the caller is the caller's to close.
    close: () => (options.pool ? Promise.resolve() : pool.destroy()),
  };
}
