import { mkdir } from 'node:fs/promises';
import type { Combination, RenderSettings } from '@vmp/shared';
import { planFileNames } from './plan-outputs.ts';
import { type ManifestInput, writeManifest } from './render/manifest.ts';
import { createRenderer } from './render/renderer.ts';
import { renderSpecs } from './render/spec.ts';
import type { OutputPhase, OutputSpec, Renderer, RenderSource } from './render/types.ts';

export interface MixProgress {
  /** The output this event is about. */
  index: number;
  phase: OutputPhase;
  /** 0–1 for that output. */
  outputFraction: number;
  /** 0–1 over all outputs. */
  overall: number;
  /** Seconds left, from the rate so far; null until there is enough to go on. */
  etaSeconds: number | null;
  completed: number;
  total: number;
}

export interface MixOptions {
  projectName: string;
  sources: readonly RenderSource[];
  combinations: readonly Combination[];
  /** One per combination, from `planOutputs`; default: planned here the same way. */
  fileNames?: readonly string[];
  settings: RenderSettings;
  outDir: string;
  cacheDir: string;
  concurrency?: number;
  signal?: AbortSignal;
  onProgress?: (progress: MixProgress) => void;
  /** Reuse an existing renderer (its pool and cache); default: one made for this call and closed after. */
  renderer?: Renderer;
  /** Sees every FFmpeg command (when mix makes its own renderer). */
  onCommand?: (command: string) => void;
  /**
   * Writes manifest.csv/json (default: here). The CLI passes its pool's: at thousands of outputs the CSV and JSON
   * take long enough to hold up progress and signals.
   */
  writeManifest?: (outDir: string, input: ManifestInput) => Promise<{ csv: string; json: string }>;
}

export interface MixOutput {
  index: number;
  path: string;
  clipIds: string[];
  sources: string[];
  duration: number;
}

export interface MixResult {
  outputs: MixOutput[];
  failed: { index: number; error: Error }[];
  manifest: { csv: string; json: string };
}

/**
 * Overall fraction from per-output fractions; ETA from the throughput so far, once `completed` outputs show it
 * (null before: "estimating…", since early progress is mostly shared normalising).
 */
export function overallProgress(
  fractions: ReadonlyMap<number, number>,
  total: number,
  elapsedSeconds: number,
  completed: number,
): { overall: number; etaSeconds: number | null } {
  let sum = 0;
  for (const f of fractions.values()) sum += f;
  const overall = total > 0 ? Math.min(1, sum / total) : 1;
  if (overall >= 1) return { overall, etaSeconds: 0 };
  const etaSeconds = completed > 0 && overall > 0 ? (elapsedSeconds * (1 - overall)) / overall : null;
  return { overall, etaSeconds };
}

/**
 * Renders every combination into `outDir` (the CLI's `vmp mix`): normalises each distinct source once, then
 * assembles (fast) or re-encodes with variations (unique), and writes manifest.csv / manifest.json.
 * Rejects only on cancel (CancelledError); outputs that fail are listed in `failed`.
 */
export async function mix(options: MixOptions): Promise<MixResult> {
  const { settings, combinations } = options;
  await mkdir(options.outDir, { recursive: true });
  const names =
    options.fileNames ??
    planFileNames(options.projectName, combinations, new Map(options.sources.map((s) => [s.id, s.path])), settings);
  const createdAt = new Date();
  const specs: OutputSpec[] = renderSpecs({
    projectName: options.projectName,
    combinations,
    fileNames: names,
    sources: options.sources,
    settings,
    outDir: options.outDir,
    createdAt: createdAt.toISOString(),
  });
  const renderer =
    options.renderer ??
    createRenderer({
      cacheDir: options.cacheDir,
      ...(options.concurrency ? { concurrency: options.concurrency } : {}),
      ...(options.onCommand ? { onCommand: options.onCommand } : {}),
    });
  const fractions = new Map<number, number>();
  let completed = 0;
  const started = performance.now();
  try {
    const result = await renderer.renderBatch(specs, {
      ...(options.signal ? { signal: options.signal } : {}),
      onOutputDone: () => {
        completed++;
      },
      onProgress: (p) => {
        fractions.set(p.index, p.fraction);
        const elapsed = (performance.now() - started) / 1000;
        const { overall, etaSeconds } = overallProgress(fractions, specs.length, elapsed, completed);
        options.onProgress?.({
          index: p.index,
          phase: p.phase,
          outputFraction: p.fraction,
          overall,
          etaSeconds,
          completed,
          total: specs.length,
        });
      },
    });
    const manifest = await (options.writeManifest ?? writeManifest)(options.outDir, {
      projectName: options.projectName,
      createdAt,
      settings,
      outputs: result.outputs,
      failed: result.failed.map(({ index, error }) => ({
        index,
        error: { message: error.message, ...(errorCode(error) ? { code: errorCode(error) } : {}) },
      })),
    });
    return {
      outputs: result.outputs.map(({ index, path, clipIds, sources, duration }) => ({
        index,
        path,
        clipIds,
        sources,
        duration,
      })),
      failed: result.failed,
      manifest,
    };
  } finally {
    if (!options.renderer) await renderer.close();
  }
}

function errorCode(error: Error): string | undefined {
  const { code } = error as { code?: unknown };
  return typeof code === 'string' ? code : undefined;
}
