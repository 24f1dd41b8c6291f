import type { Combination, MediaInfo, RenderSettings } from '@vmp/shared';

/**
 * The queue's seam to the renderer: the shape of engine-render's `Renderer.renderOutput` (engine/render/types.ts),
 * restated narrowly so the queue's state machine can be tested with a tiny real render function.
 */
export interface RenderSource {
  id: string;
  path: string;
  hash: string;
  info: MediaInfo;
}

export interface RenderSpec {
  projectName: string;
  combination: Combination;
  sources: readonly RenderSource[];
  settings: RenderSettings;
  outDir: string;
  /** Final file name: the renderer writes `<outDir>/<fileName>.part` and renames it when complete. */
  fileName: string;
}

export interface RenderCallOptions {
  signal?: AbortSignal;
  onProgress?: (progress: { fraction: number }) => void;
}

export interface RenderResult {
  path: string;
  duration: number;
}

export type RenderOutputFn = (spec: RenderSpec, options: RenderCallOptions) => Promise<RenderResult>;

/** What a job stores at start so later edits to the project never change what it renders. */
export interface JobPlanSnapshot {
  projectName: string;
  sources: RenderSource[];
  creditCost: number;
  /** Headlines of each output by output index (as Combination.headlines); absent: the plan has none. */
  headlines?: Record<number, (string | null)[]>;
}
