import type { AudioSettings, RenderSettings, Strategy } from '@vmp/shared';
import type { AssemblyItem } from '../assemble-args.ts';
import type { Prepared } from '../prepare.ts';

/** One output ready to assemble: its prepared spec and its FFmpeg job (concat list, .part path, metadata). */
export interface ReadyOutput {
  item: Prepared;
  job: AssemblyItem;
}

/** The FFmpeg process that renders some outputs, and how long each of them lasts (for progress). */
export interface AssemblyCommand {
  args: string[];
  /** Seconds of each output, in the order given. */
  durations: number[];
  env?: Record<string, string>;
}

/**
 * How outputs are rendered from their normalised clips. Chosen once per spec (`strategyOf`); the renderer, the
 * queue, the farm submitter, the manifest and the "already made" check ask it instead of comparing names.
 */
export interface RenderStrategy {
  readonly name: Strategy;
  /** Outputs per batch (a queue batch, a farm job, an FFmpeg process), given the configured batch size. */
  batchSize(configured: number): number;
  /** Whether `b` may be rendered by the same FFmpeg process as `a`. */
  canShareProcess(a: Prepared, b: Prepared): boolean;
  /**
   * Its command honours `AssemblyItem.audioFrom` (copies that file's AAC), and an output's audio is the plain
   * concatenation of its clips' (see shared-audio.ts): outputs with the same clips share one encode.
   */
  readonly sharesAudio: boolean;
  /** Text is burned into each clip's cached intermediate (else drawn in the output's own encode). */
  readonly burnsTextIntoIntermediates: boolean;
  /** Frames of an output whose clips make `frames` frames when simply concatenated. */
  outputFrames(frames: number, seed: number, settings: RenderSettings): number;
  /** The FFmpeg command for these outputs (all `canShareProcess` with the first). */
  command(
    ready: readonly ReadyOutput[],
    context: { cacheDir: string; audio: Pick<AudioSettings, 'mode' | 'musicPath' | 'musicVolume' | 'clipVolume'> },
  ): Promise<AssemblyCommand>;
  /** Extra per-output fields of manifest.json (unique: the exact variation, so a file can be traced or re-made). */
  manifestFields(seed: number, settings: RenderSettings): Record<string, unknown>;
}
