import { randomBytes } from 'node:crypto';
import { access, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import type { MediaInfo } from '@vmp/shared';
import { FfmpegFailedError } from '../errors.ts';
import { runFfmpeg } from '../ffmpeg/run.ts';
import type { DecodeCheck } from './validate.ts';

// Demuxer/decoder complaints that mean "the data stops before the file says it does".
const TRUNCATION =
  /partial file|ended prematurely|Invalid NAL unit size|Truncating packet|moov atom not found|corrupt/i;

function countFrames(framecrc: Buffer | string): number {
  return framecrc
    .toString()
    .split('\n')
    .filter((line) => line.trim() && !line.startsWith('#')).length;
}

/** Up to this long, a file whose end cannot be reached by seeking is decoded whole (at hundreds of frames a second). */
export const FULL_DECODE_MAX_SECONDS = 120;

/** Pictures decoded at the start of a clip (the first run's `-frames:v`). */
const START_FRAMES = 3;

interface CheckRun {
  what: string;
  args: string[];
  /** What is counted: decoded pictures, or (demuxing only) packets read. */
  counts?: 'packets';
}

export interface DecodeCheckOptions {
  signal?: AbortSignal;
  fullDecodeMaxSeconds?: number;
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
 * The decode check as separate runs (start, end, and the end again without seeking when the seek landed nowhere):
 * the reference the one-run check (checkDecodes) falls back to whenever its run is not plainly fine, so every
 * verdict and message comes from here exactly as before. `from` skips the first runs (already seen to pass).
 */
export async function checkDecodesSeparately(
  path: string,
  info: MediaInfo,
  options: DecodeCheckOptions = {},
  from: 0 | 2 = 0,
): Promise<DecodeCheck> {
  const tailStart = Math.max(0, info.duration - 0.5);
  const runs: CheckRun[] = [
    { what: 'start', args: ['-i', path, '-map', '0:v:0', '-frames:v', String(START_FRAMES), '-f', 'framecrc', '-'] },
    { what: 'end', args: ['-ss', tailStart.toFixed(3), '-i', path, '-map', '0:v:0', '-f', 'framecrc', '-'] },
  ];
  if (from === 2) runs.push(unseekableTailRun(path, info, options.fullDecodeMaxSeconds ?? FULL_DECODE_MAX_SECONDS));
  for (let i: number = from; i < runs.length; i++) {
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

/** A still taken in the same run (the import's thumbnail): written to `output` when the run can make it. */
export interface StillRequest {
  /** Seconds into the clip. */
  seconds: number;
  /** FFmpeg output arguments for input `inputIndex` (thumbnailOutputArgs). */
  outputArgs: (inputIndex: number) => string[];
}

/**
 * Seconds of input read from a start point: about five pictures at the clip's frame rate, at least a quarter second.
 * Enough for the 3 start pictures and the still; fewer start pictures (an odd frame rate, video starting late)
 * only sends the verdict to the separate runs. Every extra picture in the window is decoded for nothing.
 */
function window(info: MediaInfo): number {
  const fps = info.video?.fps;
  return Math.max(0.25, fps && Number.isFinite(fps) && fps > 0 ? (START_FRAMES + 2) / fps : 0);
}

/** One clip of a batch check: the clip, its probe, and optionally the still to make in the same run. */
export interface CheckItem {
  path: string;
  info: MediaInfo;
  still?: StillRequest & { output: string };
}

/** Where one clip's two check outputs go (framecrc files, read back after the run). */
interface CheckFiles {
  startCrc: string;
  endCrc: string;
}

/**
 * The one FFmpeg run of an import, for one clip or several: each clip opened as two or three inputs (its start; a
 * seek to its last half second; optionally a seek to the still's time), each as the separate runs would read it, so
 * one process start-up for all of them. Input `-t` bounds what the start and still inputs read: FFmpeg keeps decoding
 * an input whose only output has finished while other outputs still run.
 */
export function batchRunArgs(items: readonly CheckItem[], files: readonly CheckFiles[]): string[] {
  const inputs: string[] = [];
  const outputs: string[] = [];
  let next = 0;
  items.forEach(({ path, info, still }, i) => {
    const tailStart = Math.max(0, info.duration - 0.5);
    const span = window(info).toFixed(3);
    const first = next;
    inputs.push('-t', span, '-i', path, '-ss', tailStart.toFixed(3), '-i', path);
    next += 2;
    if (still) {
      inputs.push('-ss', still.seconds.toFixed(3), '-t', span, '-i', path);
      next++;
    }
    outputs.push('-map', `${first}:v:0`, '-frames:v', String(START_FRAMES), '-f', 'framecrc', files[i]!.startCrc);
    outputs.push('-map', `${first + 1}:v:0`, '-f', 'framecrc', files[i]!.endCrc);
    if (still) outputs.push(...still.outputArgs(first + 2));
  });
  return [...inputs, ...outputs];
}

type Outcome = 'ok' | 'tail' | 'unclear';

/**
 * Decodes a few frames at the start and the last half second of the video. A file cut short (an interrupted copy,
 * a half-downloaded MP4 with its index up front) still probes fine but fails here: no frames, or the demuxer
 * reports reading past the end. A stream that cannot seek (an OBS-style MPEG-TS with a single keyframe) gives no
 * picture after a seek: its end is checked again without one (see unseekableTailRun).
 *
 * One FFmpeg run (batchRunArgs) answers for every clip that is plainly fine: all three start pictures, a picture at
 * the end, no complaint, exit 0. Anything else is decided by the separate runs (checkDecodesSeparately), so a verdict
 * and its words never depend on the shortcut. A batch whose run fails or complains is checked again clip by clip
 * (a complaint cannot be told apart by clip). `stillWritten` says whether each still was made (only when ok).
 */
export async function checkDecodesBatch(
  items: readonly CheckItem[],
  options: DecodeCheckOptions = {},
): Promise<Array<{ decode: DecodeCheck; stillWritten: boolean }>> {
  if (items.length === 0) return [];
  const tag = randomBytes(6).toString('hex');
  const files = items.map((_, i) => ({
    startCrc: join(tmpdir(), `vmp-check-${tag}-${i}-start.crc`),
    endCrc: join(tmpdir(), `vmp-check-${tag}-${i}-end.crc`),
  }));
  const stills = items.flatMap((item) => (item.still ? [item.still.output] : []));
  let outcomes: Outcome[] | 'unclear' = 'unclear';
  try {
    const names = items.length === 1 ? basename(items[0]!.path) : `${items.length} clips`;
    const { stderr } = await runFfmpeg(batchRunArgs(items, files), {
      signal: options.signal,
      label: `Checking ${names} decode${items.length === 1 ? 's' : ''}${stills.length > 0 ? ' and making thumbnails' : ''}`,
    });
    if (!TRUNCATION.test(stderr)) {
      outcomes = await Promise.all(
        items.map(async ({ info }, i) => {
          const read = (file: string) => readFile(file, 'utf8').catch(() => '');
          if (countFrames(await read(files[i]!.startCrc)) < START_FRAMES) return 'unclear';
          if (countFrames(await read(files[i]!.endCrc)) > 0) return 'ok';
          return info.duration - 0.5 > 0 ? 'tail' : 'unclear';
        }),
      );
    }
  } catch (error) {
    if (!(error instanceof FfmpegFailedError)) {
      // Cancelled: no half-written still is left beside the cache.
      await Promise.all(stills.map((f) => rm(f, { force: true })));
      throw error;
    }
  } finally {
    await Promise.all(files.flatMap((f) => [rm(f.startCrc, { force: true }), rm(f.endCrc, { force: true })]));
  }
  if (outcomes === 'unclear' && items.length > 1) {
    // One clip spoiled the batch (or FFmpeg refused it): each clip on its own, as if it had been alone.
    await Promise.all(stills.map((f) => rm(f, { force: true })));
    const each = [];
    for (const item of items) each.push(...(await checkDecodesBatch([item], options)));
    return each;
  }
  const results = [];
  for (const [i, item] of items.entries()) {
    results.push(await settle(item, outcomes === 'unclear' ? 'unclear' : outcomes[i]!, options));
  }
  return results;
}

async function settle(
  { path, info, still }: CheckItem,
  outcome: Outcome,
  options: DecodeCheckOptions,
): Promise<{ decode: DecodeCheck; stillWritten: boolean }> {
  const made = async () =>
    !!still &&
    (await access(still.output).then(
      () => true,
      () => false,
    ));
  if (outcome === 'ok') return { decode: { ok: true }, stillWritten: await made() };
  if (outcome === 'tail') {
    // The start passed and the end's seek landed nowhere: the separate check's next step, its third run.
    const decode = await checkDecodesSeparately(path, info, options, 2);
    if (decode.ok) return { decode, stillWritten: await made() };
    if (still) await rm(still.output, { force: true });
    return { decode, stillWritten: false };
  }
  if (still) await rm(still.output, { force: true });
  return { decode: await checkDecodesSeparately(path, info, options), stillWritten: false };
}

/** The check of one clip (checkDecodesBatch of one). */
export async function checkDecodesOnce(
  path: string,
  info: MediaInfo,
  options: DecodeCheckOptions & { still?: StillRequest & { output: string } } = {},
): Promise<{ decode: DecodeCheck; stillWritten: boolean }> {
  const { still, ...rest } = options;
  return (await checkDecodesBatch([{ path, info, ...(still ? { still } : {}) }], rest))[0]!;
}

/** checkDecodesOnce without a still. */
export async function checkDecodes(path: string, info: MediaInfo, options: DecodeCheckOptions = {}) {
  return (await checkDecodesOnce(path, info, options)).decode;
}
