import { mkdir, readFile, rename, stat, writeFile } from 'node:fs/promises';
import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import type { MediaInfo } from '@vmp/shared';
import { contentKey } from '../engine/hash/content-key.ts';
import { analyseClip, type ClipAnalysis } from '../engine/validate/analyse.ts';
import { mapLimit } from '../util/map-limit.ts';

export interface AnalyseFilesOptions {
  signal?: AbortSignal;
  concurrency?: number;
  onDone?: (done: number, total: number) => void;
  /**
   * Keeps each problem-free clip's probe result under `<cacheDir>/analysis`, by content key and size: a later run
   * over the same clips (a warm `vmp mix`) hashes them and spawns no ffprobe or decode check.
   */
  cacheDir?: string;
  /** The analysis itself (tests count its calls). */
  analyse?: typeof analyseClip;
}

/** Bump when what a clean analysis means changes (validation rules, probe fields). */
const CACHE_VERSION = 'a1';

const cacheFile = (dir: string, hash: string) => join(dir, 'analysis', `${CACHE_VERSION}-${hash}.json`);

async function cached(dir: string, path: string): Promise<ClipAnalysis | undefined> {
  try {
    const { size } = await stat(path);
    const hash = await contentKey(path);
    const entry = JSON.parse(await readFile(cacheFile(dir, hash), 'utf8')) as { size: number; info: MediaInfo };
    return entry.size === size ? { path, size, hash, info: entry.info, problems: [] } : undefined;
  } catch {
    return undefined; // not cached (or unreadable: the analysis says why)
  }
}

async function remember(dir: string, a: ClipAnalysis): Promise<void> {
  if (!a.hash || !a.info || a.problems.length > 0) return;
  const file = cacheFile(dir, a.hash);
  await mkdir(join(dir, 'analysis'), { recursive: true });
  const temp = `${file}.${process.pid}.tmp`;
  await writeFile(temp, JSON.stringify({ size: a.size, info: a.info }));
  await rename(temp, file);
}

/** Analyses files in parallel (about one ffprobe/ffmpeg per core), reporting each one as it finishes. */
export async function analyseFiles(
  paths: readonly string[],
  options: AnalyseFilesOptions = {},
): Promise<ClipAnalysis[]> {
  let done = 0;
  const analyse = options.analyse ?? analyseClip;
  const dir = options.cacheDir;
  return mapLimit(paths, options.concurrency ?? Math.max(2, availableParallelism()), async (path) => {
    const hit = dir ? await cached(dir, path) : undefined;
    const result = hit ?? (await analyse(path, { signal: options.signal }));
    if (!hit && dir) await remember(dir, result).catch(() => undefined);
    done++;
    options.onDone?.(done, paths.length);
    return result;
  });
}
