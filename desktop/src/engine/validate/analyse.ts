import { mkdir, open, rename, rm, stat as statFile } from 'node:fs/promises';
import { basename } from 'node:path';
import type { ClipProblem, MediaInfo } from '@vmp/shared';
import { isHdr } from '../colour/colour.ts';
import { availableFilters } from '../colour/filters.ts';
import { CancelledError, FfmpegNotFoundError } from '../errors.ts';
import { contentKey } from '../hash/content-key.ts';
import { probeFile } from '../probe/probe.ts';
import {
  exists,
  THUMBNAIL_WIDTH,
  thumbnail,
  thumbnailOutputArgs,
  thumbnailPath,
  thumbnailTempPath,
  thumbnailTime,
} from '../thumbnails/thumbnail.ts';
import { checkDecodesBatch } from './decode-check.ts';
import { DEFAULT_LIMITS, type ProbeResult, type ValidationLimits, validateMedia } from './validate.ts';

async function readHeader(path: string): Promise<Uint8Array | undefined> {
  try {
    const handle = await open(path, 'r');
    try {
      const buffer = Buffer.alloc(256);
      const { bytesRead } = await handle.read(buffer, 0, buffer.length, 0);
      return buffer.subarray(0, bytesRead);
    } finally {
      await handle.close();
    }
  } catch {
    return undefined;
  }
}

export { checkDecodes } from './decode-check.ts';

export interface AnalyseOptions {
  limits?: ValidationLimits;
  signal?: AbortSignal;
  /** Decode a few frames at both ends (default true). Off for a quick rescan. */
  decodeCheck?: boolean;
  /**
   * Also make the clip's still (engine/thumbnails), cached in `cacheDir` by content key: in the decode check's
   * FFmpeg run when there is one, so an import costs one ffprobe and one FFmpeg per clip.
   */
  thumbnail?: { cacheDir: string; width?: number };
}

export interface ClipAnalysis {
  path: string;
  /** Bytes on disk; 0 when the file is missing. */
  size: number;
  /** Content key (see contentKey); null when the file could not be read. */
  hash: string | null;
  info: MediaInfo | null;
  problems: ClipProblem[];
  /** The still's path when `thumbnail` was asked for and the clip is usable; null when none could be made. */
  thumbnail?: string | null;
}

/** A clip probed and validated, waiting for its decode check (in a batch's one FFmpeg run). */
interface Pending {
  path: string;
  size: number;
  hash: string | null;
  probe: ProbeResult;
  info: MediaInfo;
  filters: { filters?: Awaited<ReturnType<typeof availableFilters>> };
  plan: StillPlan | null;
}

/**
 * Stats, hashes, probes and validates one file: the analysis itself when nothing is left to check, or what the
 * decode check needs. Never throws for bad input (bad input comes back as problems).
 */
async function prepare(path: string, options: AnalyseOptions): Promise<ClipAnalysis | Pending> {
  const limits = options.limits ?? DEFAULT_LIMITS;
  let size = 0;
  try {
    const stats = await statFile(path);
    if (!stats.isFile()) {
      const problems = [
        { code: 'NOT_A_VIDEO' as const, message: `"${basename(path)}" is a folder, not a video file.` },
      ];
      return { path, size: 0, hash: null, info: null, problems };
    }
    size = stats.size;
  } catch {
    return { path, size: 0, hash: null, info: null, problems: validateMedia(path, null, null, limits) };
  }
  const early = validateMedia(path, null, { size }, limits);
  if (early.some((p) => p.code === 'EMPTY_FILE')) return { path, size, hash: null, info: null, problems: early };

  let hash: string | null = null;
  try {
    hash = await contentKey(path);
  } catch {
    // Unreadable (permissions, vanished): probing will say why in user terms.
  }
  let probe: ProbeResult;
  try {
    probe = await probeFile(path, { signal: options.signal });
  } catch (error) {
    if (error instanceof CancelledError || error instanceof FfmpegNotFoundError) throw error;
    probe = error instanceof Error ? error : new Error(String(error));
  }
  const info = probe instanceof Error ? null : probe;
  const header = info ? undefined : await readHeader(path);
  const found = isHdr(info?.video) ? await availableFilters() : undefined;
  const filters: Pending['filters'] = found ? { filters: found } : {};
  const problems = validateMedia(path, probe, { size }, limits, { header, ...filters });
  if (info && problems.length === 0 && options.decodeCheck !== false) {
    const plan = options.thumbnail && hash && info.video ? await stillRequest(info, hash, options.thumbnail) : null;
    return { path, size, hash, probe, info, filters, plan };
  }
  return finish({ path, size, hash, info, problems }, undefined, options);
}

/** The still by its own run when it is wanted and none came from the check (or there was no check). */
async function finish(
  analysis: ClipAnalysis,
  still: string | null | undefined,
  options: AnalyseOptions,
): Promise<ClipAnalysis> {
  if (!options.thumbnail) return analysis;
  const { path, info, hash, problems } = analysis;
  let made = still;
  if (!info?.video || !hash || problems.length > 0) made = null;
  else if (made === undefined) made = await separateStill(path, info, hash, options);
  return { ...analysis, thumbnail: made ?? null };
}

/**
 * Stats, hashes, probes and validates files, then checks that every clean one decodes at both ends in one FFmpeg
 * run for them all (its still made in the same run): a batch of n clips costs n ffprobes and one FFmpeg. Never
 * throws for bad input (bad input comes back as problems); only cancellation and a missing FFmpeg (a broken setup,
 * not a bad clip) are thrown. Results in the order of `paths`.
 */
export async function analyseClips(paths: readonly string[], options: AnalyseOptions = {}): Promise<ClipAnalysis[]> {
  const limits = options.limits ?? DEFAULT_LIMITS;
  const prepared: (ClipAnalysis | Pending)[] = [];
  for (const path of paths) prepared.push(await prepare(path, options));
  const pending = prepared.filter((p): p is Pending => 'probe' in p);
  const checks = await checkDecodesBatch(
    pending.map(({ path, info, plan }) => ({ path, info, ...(plan && 'still' in plan ? { still: plan.still } : {}) })),
    { signal: options.signal },
  );
  const checked = new Map<Pending, ClipAnalysis>();
  for (const [i, p] of pending.entries()) {
    const { decode, stillWritten } = checks[i]!;
    const problems = validateMedia(p.path, p.probe, { size: p.size }, limits, { decode, ...p.filters });
    let still: string | null | undefined;
    if (p.plan && 'cached' in p.plan) still = p.plan.cached;
    else if (p.plan && stillWritten) still = await adopt(p.plan.still.output, p.plan.target);
    const analysis = { path: p.path, size: p.size, hash: p.hash, info: p.info, problems };
    checked.set(p, await finish(analysis, still, options));
  }
  return prepared.map((p) => ('probe' in p ? checked.get(p)! : p));
}

/** analyseClips of one file. */
export async function analyseClip(path: string, options: AnalyseOptions = {}): Promise<ClipAnalysis> {
  return (await analyseClips([path], options))[0]!;
}

type StillPlan =
  | { cached: string }
  | { target: string; still: { seconds: number; output: string; outputArgs: (input: number) => string[] } };

/** The cached still, or what the check's run should add to make it (written beside the target, then renamed). */
async function stillRequest(
  info: MediaInfo,
  hash: string,
  want: { cacheDir: string; width?: number },
): Promise<StillPlan> {
  const width = want.width ?? THUMBNAIL_WIDTH;
  const target = thumbnailPath(want.cacheDir, hash, width);
  if (await exists(target)) return { cached: target };
  await mkdir(want.cacheDir, { recursive: true });
  const output = thumbnailTempPath(target);
  const outputArgs = (input: number) => thumbnailOutputArgs(input, output, width, info.video);
  return { target, still: { seconds: thumbnailTime(info.duration), output, outputArgs } };
}

async function adopt(temp: string, target: string): Promise<string | null> {
  try {
    await rename(temp, target);
    return target;
  } catch {
    await rm(temp, { force: true });
    return null;
  }
}

/** The still by its own run(s), as before the one-run check: no decode check, or its run could not make it. */
async function separateStill(path: string, info: MediaInfo, hash: string, options: AnalyseOptions) {
  const want = options.thumbnail!;
  try {
    return await thumbnail(path, { cacheDir: want.cacheDir, hash, info, signal: options.signal, width: want.width });
  } catch (error) {
    if (error instanceof CancelledError) throw error;
    // A clip without a thumbnail still mixes; the UI shows a placeholder.
    return null;
  }
}
