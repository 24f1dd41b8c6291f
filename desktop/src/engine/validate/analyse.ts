import { open, stat as statFile } from 'node:fs/promises';
import { basename } from 'node:path';
import type { ClipProblem, MediaInfo } from '@vmp/shared';
import { isHdr } from '../colour/colour.ts';
import { availableFilters } from '../colour/filters.ts';
import { CancelledError, FfmpegFailedError, FfmpegNotFoundError } from '../errors.ts';
import { runFfmpeg } from '../ffmpeg/run.ts';
import { contentKey } from '../hash/content-key.ts';
import { probeFile } from '../probe/probe.ts';
import {
  DEFAULT_LIMITS,
  type DecodeCheck,
  type ProbeResult,
  type ValidationLimits,
  validateMedia,
} from './validate.ts';

// Demuxer/decoder complaints that mean "the data stops before the file says it does".
const TRUNCATION =
  /partial file|ended prematurely|Invalid NAL unit size|Truncating packet|moov atom not found|corrupt/i;

function countFrames(framecrc: Buffer): number {
  return framecrc
    .toString('utf8')
    .split('\n')
    .filter((line) => line.trim() && !line.startsWith('#')).length;
}

/** Up to this long, a file whose end cannot be reached by seeking is decoded whole (at hundreds of frames a second). */
export const FULL_DECODE_MAX_SECONDS = 120;

interface CheckRun {
  what: string;
  args: string[];
  /** What is counted: decoded pictures, or (demuxing only) packets read. */
  counts?: 'packets';
}

/** The run that reaches the last half second of a file whose seek landed nowhere (no index, no keyframe near the end). */
export function unseekableTailRun(path: string, info: MediaInfo, fullDecodeMaxSeconds: number): CheckRun {
  const tailStart = Math.max(0, info.duration - 0.5).toFixed(3);
  if (info.duration <= fullDecodeMaxSeconds) {
    // Decode from the start (the only keyframe may be there) and keep the pictures of the last half second.
    const select = `select=gte(t\\,${tailStart})`;
    return { what: 'end', args: ['-i', path, '-map', '0:v:0', '-vf', select, '-f', 'framecrc', '-'] };
  }
  // Too long to decode at import: read the last half second's packets (initial non-keyframes included) instead. Weaker,
  // but such streams (MPEG-TS) take their duration from the timestamps at the end of the data, so it cannot lie.
  return {
    what: 'end',
    args: ['-ss', tailStart, '-i', path, '-map', '0:v:0', '-c', 'copy', '-copyinkf', '-f', 'framecrc', '-'],
    counts: 'packets',
  };
}

/**
 * Decodes a few frames at the start and the last half second of the video. A file cut short (an interrupted copy,
 * a half-downloaded MP4 with its index up front) still probes fine but fails here: no frames, or the demuxer
 * reports reading past the end. A stream that cannot seek (an OBS-style MPEG-TS with a single keyframe) gives no
 * picture after a seek: its end is checked again without one (see unseekableTailRun).
 */
export async function checkDecodes(
  path: string,
  info: MediaInfo,
  options: { signal?: AbortSignal; fullDecodeMaxSeconds?: number } = {},
): Promise<DecodeCheck> {
  const tailStart = Math.max(0, info.duration - 0.5);
  const runs: CheckRun[] = [
    { what: 'start', args: ['-i', path, '-map', '0:v:0', '-frames:v', '3', '-f', 'framecrc', '-'] },
    { what: 'end', args: ['-ss', tailStart.toFixed(3), '-i', path, '-map', '0:v:0', '-f', 'framecrc', '-'] },
  ];
  for (let i = 0; i < runs.length; i++) {
    const run = runs[i]!;
    try {
      const { stdout, stderr } = await runFfmpeg(run.args, {
        signal: options.signal,
        label: `Checking ${basename(path)} decodes (${run.what}${i > 1 ? ', without seeking' : ''})`,
        captureStdout: true,
      });
      const truncation = TRUNCATION.exec(stderr);
      if (truncation) return { ok: false, detail: `${truncation[0]} near the ${run.what}` };
      if (countFrames(stdout) > 0) continue;
      if (i === 1 && tailStart > 0) {
        runs.push(unseekableTailRun(path, info, options.fullDecodeMaxSeconds ?? FULL_DECODE_MAX_SECONDS));
        continue;
      }
      const nothing = run.counts === 'packets' ? 'no data could be read' : 'no picture could be decoded';
      return { ok: false, detail: `${nothing} near the ${run.what}` };
    } catch (error) {
      if (error instanceof FfmpegFailedError) return { ok: false, detail: error.message };
      throw error;
    }
  }
  return { ok: true };
}

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

export interface AnalyseOptions {
  limits?: ValidationLimits;
  signal?: AbortSignal;
  /** Decode a few frames at both ends (default true). Off for a quick rescan. */
  decodeCheck?: boolean;
}

export interface ClipAnalysis {
  path: string;
  /** Bytes on disk; 0 when the file is missing. */
  size: number;
  /** Content key (see contentKey); null when the file could not be read. */
  hash: string | null;
  info: MediaInfo | null;
  problems: ClipProblem[];
}

/**
 * Stats, hashes, probes and validates one file. Never throws for bad input (bad input comes back as problems);
 * only cancellation and a missing FFmpeg (a broken setup, not a bad clip) are thrown.
 */
export async function analyseClip(path: string, options: AnalyseOptions = {}): Promise<ClipAnalysis> {
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
  const filters = isHdr(info?.video) ? await availableFilters() : undefined;
  let problems = validateMedia(path, probe, { size }, limits, { header, ...(filters ? { filters } : {}) });
  if (info && problems.length === 0 && options.decodeCheck !== false) {
    const decode = await checkDecodes(path, info, { signal: options.signal });
    problems = validateMedia(path, probe, { size }, limits, { decode, ...(filters ? { filters } : {}) });
  }
  return { path, size, hash, info, problems };
}
