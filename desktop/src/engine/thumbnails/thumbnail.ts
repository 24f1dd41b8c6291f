import { randomBytes } from 'node:crypto';
import { access, mkdir, rename, rm } from 'node:fs/promises';
import { basename, join } from 'node:path';
import type { MediaInfo } from '@vmp/shared';
import { colourChain } from '../colour/colour.ts';
import { runFfmpeg } from '../ffmpeg/run.ts';
import { contentKey } from '../hash/content-key.ts';
import { probeFile } from '../probe/probe.ts';

export const THUMBNAIL_WIDTH = 320;

export interface ThumbnailOptions {
  /** Folder for cached JPEGs; created if missing. */
  cacheDir: string;
  /** Content key of the clip (contentKey); computed when absent. */
  hash?: string;
  /** Probe result, for the duration; probed when absent. */
  info?: MediaInfo;
  /** Seconds of video, when that is all the caller knows (rendered outputs); wins over `info`. */
  duration?: number;
  width?: number;
  signal?: AbortSignal;
}

export function thumbnailPath(cacheDir: string, hash: string, width = THUMBNAIL_WIDTH): string {
  // "c2": colour-converted pictures (HDR, SD); older cached thumbnails of those clips were wrong.
  return join(cacheDir, `thumb-c2-${hash}-w${width}.jpg`);
}

/** Where in the clip the picture comes from: 10 % in skips black lead-ins and fades. */
export function thumbnailTime(duration: number): number {
  return Number.isFinite(duration) && duration > 0 ? duration * 0.1 : 0;
}

/**
 * FFmpeg turns rotated video upright by itself; SAR is squared first so anamorphic clips keep their shape,
 * then the width is fixed and the height follows (kept even for the JPEG encoder's chroma).
 */
export function thumbnailArgs(
  input: string,
  output: string,
  seconds: number,
  width = THUMBNAIL_WIDTH,
  video?: MediaInfo['video'],
): string[] {
  return ['-ss', seconds.toFixed(3), '-i', input, ...thumbnailOutputArgs(0, output, width, video)];
}

/** The output half of thumbnailArgs, for a run that reads the clip as input `inputIndex` (the import's one run). */
export function thumbnailOutputArgs(
  inputIndex: number,
  output: string,
  width = THUMBNAIL_WIDTH,
  video?: MediaInfo['video'],
): string[] {
  return [
    '-map',
    `${inputIndex}:v:0`,
    '-frames:v',
    '1',
    '-vf',
    // HDR and SD sources come to BT.709 SDR first, as in the rendered outputs.
    `${colourChain(video)}scale=trunc(iw*sar/2)*2:ih,setsar=1,scale=${width}:-2`,
    '-q:v',
    '4',
    '-f',
    'image2',
    output,
  ];
}

/** A temporary name beside `target`: written there and renamed, so a reader never sees half a JPEG. */
export function thumbnailTempPath(target: string): string {
  return `${target}.${randomBytes(4).toString('hex')}.tmp`;
}

const inFlight = new Map<string, Promise<string>>();

export async function exists(path: string): Promise<boolean> {
  try {
    await access(path);
    return true;
  } catch {
    return false;
  }
}

async function render(path: string, target: string, options: ThumbnailOptions): Promise<string> {
  if (await exists(target)) return target;
  await mkdir(options.cacheDir, { recursive: true });
  const info = options.info ?? (await probeFile(path, { signal: options.signal }));
  const duration = options.duration ?? info.duration;
  // Write beside the target and rename, so a reader never sees half a JPEG and a crash leaves no bad cache entry.
  const temp = thumbnailTempPath(target);
  const width = options.width ?? THUMBNAIL_WIDTH;
  try {
    const label = `Making a thumbnail of ${basename(path)}`;
    await runFfmpeg(thumbnailArgs(path, temp, thumbnailTime(duration), width, info.video), {
      signal: options.signal,
      label,
    });
    // A seek past the last decodable frame writes nothing: fall back to the first frame.
    if (!(await exists(temp))) {
      await runFfmpeg(thumbnailArgs(path, temp, 0, width, info.video), { signal: options.signal, label });
    }
    await rename(temp, target);
    return target;
  } finally {
    await rm(temp, { force: true });
  }
}

/**
 * A JPEG (320 px wide) of the clip, cached in `cacheDir` by content key. Concurrent requests for the same
 * key share one FFmpeg run (and its signal: if the first caller cancels, the others see CancelledError too).
 */
export async function thumbnail(path: string, options: ThumbnailOptions): Promise<string> {
  const hash = options.hash ?? (await contentKey(path));
  const target = thumbnailPath(options.cacheDir, hash, options.width);
  const running = inFlight.get(target);
  if (running) return running;
  const job = render(path, target, options).finally(() => inFlight.delete(target));
  inFlight.set(target, job);
  return job;
}
