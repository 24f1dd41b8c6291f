import { availableParallelism } from 'node:os';
import { analyseClip, type ClipAnalysis } from '../engine/validate/analyse.ts';
import { mapLimit } from '../util/map-limit.ts';

/** Analyses files in parallel (about one ffprobe/ffmpeg per core), reporting each one as it finishes. */
export async function analyseFiles(
  paths: readonly string[],
  options: { signal?: AbortSignal; concurrency?: number; onDone?: (done: number, total: number) => void } = {},
): Promise<ClipAnalysis[]> {
  let done = 0;
  return mapLimit(paths, options.concurrency ?? Math.max(2, availableParallelism()), async (path) => {
    const result = await analyseClip(path, { signal: options.signal });
    done++;
    options.onDone?.(done, paths.length);
    return result;
  });
}
