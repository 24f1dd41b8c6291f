import { stat } from 'node:fs/promises';
import { basename } from 'node:path';
import type { MediaInfo } from '@vmp/shared';
import { AppError } from '@vmp/shared/errors';
import { mapLimit } from '../../util/map-limit.ts';
import { CancelledError, FfmpegFailedError } from '../errors.ts';
import { runFfprobe } from '../ffmpeg/run.ts';
import { type FfprobeOutput, parseFfprobe } from './parse.ts';

/** ffprobe could not read the file: it is not media, or it is damaged (e.g. an MP4 cut off before its index). */
export class ProbeFailedError extends AppError {
  readonly path: string;
  /** ffprobe's own last line, e.g. "moov atom not found". */
  readonly reason: string;

  constructor(path: string, reason: string, cause?: unknown) {
    super('PROBE_FAILED', `Could not read "${basename(path)}" as media${reason ? ` (${reason})` : ''}.`, {
      status: 422,
      details: { path, reason },
      cause,
    });
    this.path = path;
    this.reason = reason;
  }
}

export interface ProbeOptions {
  signal?: AbortSignal;
  /** Seconds of packets read for VFR detection; bounded so long files stay quick. */
  packetWindow?: number;
}

/** ffprobe arguments for one file: streams, format and the first seconds of packet timestamps (for VFR). */
export function probeArgs(path: string, packetWindow = 3): string[] {
  return [
    '-of',
    'json',
    '-show_format',
    '-show_streams',
    '-show_entries',
    'packet=stream_index,pts,duration',
    '-read_intervals',
    `%+${packetWindow}`,
    path,
  ];
}

function ffprobeReason(stderr: string, path: string): string {
  const lines = stderr
    .trim()
    .split('\n')
    .map((l) => l.replace(/^\[[^\]]*\]\s*/, '').trim())
    .filter(Boolean);
  // An MP4 cut short loses its index ("moov atom"), which ffprobe reports before its generic last line.
  const moov = lines.find((l) => /moov atom not found/i.test(l));
  if (moov) return moov;
  const last = lines[lines.length - 1] ?? '';
  return last.startsWith(`${path}: `) ? last.slice(path.length + 2) : last;
}

/** Probes one file. Throws ProbeFailedError when ffprobe cannot read it, CancelledError on abort. */
export async function probeFile(path: string, options: ProbeOptions = {}): Promise<MediaInfo> {
  const { size } = await stat(path);
  let stdout: Buffer;
  try {
    ({ stdout } = await runFfprobe(probeArgs(path, options.packetWindow), {
      signal: options.signal,
      label: `Probing ${basename(path)}`,
    }));
  } catch (error) {
    if (error instanceof CancelledError) throw error;
    if (error instanceof FfmpegFailedError)
      throw new ProbeFailedError(path, ffprobeReason(error.stderrTail, path), error);
    throw error;
  }
  let raw: FfprobeOutput;
  try {
    raw = JSON.parse(stdout.toString('utf8')) as FfprobeOutput;
  } catch (error) {
    throw new ProbeFailedError(path, 'ffprobe printed unreadable output', error);
  }
  if (options.packetWindow === undefined && spansOnlyFromPackets(raw)) {
    // No stated duration (older ffprobe on GIF): read every packet so the span and frame count are whole.
    return probeFile(path, { ...options, packetWindow: FULL_PACKET_WINDOW });
  }
  return parseFfprobe(raw, { path, size });
}

const FULL_PACKET_WINDOW = 24 * 3600;

function spansOnlyFromPackets(raw: FfprobeOutput): boolean {
  const v = raw.streams?.find((s) => s.codec_type === 'video' && s.disposition?.attached_pic !== 1);
  if (!v || v.duration !== undefined || v.nb_frames !== undefined || v.tags?.DURATION || v.tags?.duration) return false;
  return raw.format?.duration === undefined;
}

export type ProbeOutcome =
  | { path: string; info: MediaInfo; error?: undefined }
  | { path: string; info?: undefined; error: Error };

/** Probes many files in parallel; one bad file does not fail the others. Cancellation rejects the whole batch. */
export async function probeMany(
  paths: readonly string[],
  options: ProbeOptions & { concurrency?: number } = {},
): Promise<ProbeOutcome[]> {
  return mapLimit(paths, options.concurrency ?? 4, async (path) => {
    try {
      return { path, info: await probeFile(path, options) };
    } catch (error) {
      if (error instanceof CancelledError) throw error;
      return { path, error: error instanceof Error ? error : new Error(String(error)) };
    }
  });
}
