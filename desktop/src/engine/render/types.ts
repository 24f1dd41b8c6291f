import type { RenderSettings } from '@vmp/shared';
import type { FfmpegPool } from '../pool/pool.ts';
import type { RenderSource, RenderSpec } from './spec.ts';

/**
 * Contracts of the render half of the engine, shared by `vmp mix` and the persistent render queue (SQLite). The queue
 * rebuilds one `OutputSpec` per ready output from its job, hands batches of them to `renderer.renderBatch` with one
 * signal per output, and can cancel one output (abort its signal), retry it (a later batch with the same spec: the
 * same final path is overwritten) or resume after a restart (normalised clips are cached on disk).
 */

/**
 * One planned output, self-contained: everything needed to render it, alone, at any time (the render spec,
 * spec.ts: serialisable, made once at planning by `renderSpecs`).
 */
export type OutputSpec = Omit<RenderSpec, 'sources'> & { sources: readonly RenderSource[] };
export type { RenderSource };

export interface OutputResult {
  index: number;
  /** Final path of the finished file (only ever renamed there once complete). */
  path: string;
  clipIds: string[];
  /** Source file paths in play order. */
  sources: string[];
  /** Seconds, the sum of the normalised clip durations (unique strategy: after its speed change). */
  duration: number;
  /** Per-output seed (derived from settings.seed and the index): drives unique variations; in the manifest. */
  seed: number;
  /** Headline shown over each clip (as combination.headlines); absent when the plan has none. */
  headlines?: (string | null)[];
}

export type OutputPhase = 'queued' | 'normalising' | 'rendering' | 'done';

export interface OutputProgress {
  index: number;
  phase: OutputPhase;
  /** 0–1 for this output, normalisation of its clips included. */
  fraction: number;
}

export interface RenderOptions {
  /** Abort: kills the FFmpeg processes of this call and removes partial files; rejects with CancelledError. */
  signal?: AbortSignal;
  onProgress?: (progress: OutputProgress) => void;
}

export interface BatchOptions extends RenderOptions {
  /**
   * `outputSignals[k]` cancels `specs[k]` alone: its FFmpeg work stops, its partial file goes, and the outputs that
   * shared an assembly process with it are assembled again without it. `signal` still cancels the whole batch.
   */
  outputSignals?: readonly (AbortSignal | undefined)[];
  /** Called as each output completes, before the batch as a whole resolves. */
  onOutputDone?: (result: OutputResult) => void;
  onOutputFailed?: (index: number, error: Error) => void;
  /** An output stopped by its own signal (never called for the batch's `signal`: the batch rejects instead). */
  onOutputCancelled?: (index: number) => void;
}

export interface BatchResult {
  outputs: OutputResult[];
  failed: { index: number; error: Error }[];
  /** Outputs stopped by their own signal (`outputSignals`). */
  cancelled: number[];
}

/** The one render call the queue and `vmp mix` share (the queue's seam, so its tests can pass a tiny real one). */
export type RenderBatchFn = Renderer['renderBatch'];

export interface RendererOptions {
  /** Normalised intermediates live here, keyed by content hash + profile. Safe to share between renderers. */
  cacheDir: string;
  /** FFmpeg processes at once. Default: DEFAULT_CONCURRENCY (see pool/pool.ts for the measurement). */
  concurrency?: number;
  /** Fast strategy: outputs assembled by one FFmpeg process. Default: DEFAULT_ASSEMBLY_BATCH. */
  assemblyBatch?: number;
  /**
   * Run FFmpeg in this pool (shared with the caller's CPU tasks; the caller closes it). Default: a pool of the
   * renderer's own, closed by `close()`.
   */
  pool?: FfmpegPool;
  /** Sees every FFmpeg command line (copy-pasteable), including those run inside worker threads. */
  onCommand?: (command: string) => void;
}

export interface Renderer {
  /**
   * Renders one output to `join(outDir, fileName)`: normalises (or reuses) its clips, then assembles (fast) or
   * re-encodes with variations (unique). Writes `<name>.part`, renames when complete. Rejects with
   * RenderFailedError (code RENDER_FAILED, naming the output and the clip) or CancelledError.
   */
  renderOutput(spec: OutputSpec, options?: RenderOptions): Promise<OutputResult>;
  /**
   * Renders several outputs sharing one signal; the fast strategy assembles them several per FFmpeg process,
   * which is what makes many outputs cheap. Never rejects for one bad output (see `failed`), only on cancel.
   */
  renderBatch(specs: readonly OutputSpec[], options?: BatchOptions): Promise<BatchResult>;
  /** Normalises one source for these settings (warms the cache); resolves to the intermediate's path. */
  normalise(source: RenderSource, settings: RenderSettings, options?: { signal?: AbortSignal }): Promise<string>;
  /** FFmpeg processes at once, from now on (running ones finish; queued ones start as slots free up). */
  setConcurrency(concurrency: number): void;
  /** Stops the worker threads. Pending calls reject with CancelledError. */
  close(): Promise<void>;
}
