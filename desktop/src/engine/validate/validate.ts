import { basename } from 'node:path';
import type { ClipProblem, MediaInfo } from '@vmp/shared';
import { isHdr } from '../colour/colour.ts';
import { HDR_FILTERS } from '../colour/filters.ts';

export interface ValidationLimits {
  /** Files above this many bytes are refused (default 4 GiB). */
  maxBytes: number;
  /** Clips shorter than this many seconds are refused (default 0.2 s). */
  minDuration: number;
}

export const DEFAULT_LIMITS: ValidationLimits = { maxBytes: 4 * 1024 ** 3, minDuration: 0.2 };

/** Result of decoding a few frames near the start and the end (see checkDecodes). */
export interface DecodeCheck {
  ok: boolean;
  /** FFmpeg's words, for the log. */
  detail?: string;
}

/** Extra facts the caller gathered: a decode check, and the first bytes of the file. */
export interface Evidence {
  decode?: DecodeCheck;
  /** First 16+ bytes; tells a damaged video from a file that never was one when ffprobe gives up. */
  header?: Uint8Array;
  /** Filters the FFmpeg in use has (availableFilters); HDR clips need zscale and tonemap. */
  filters?: ReadonlySet<string>;
}

/**
 * Names the container family from a file's first bytes, or null if it is no video container we know.
 * ffprobe says "moov atom not found" both for a cut-off MP4 and for a text file named .mp4: the header decides.
 */
export function sniffContainer(header: Uint8Array): string | null {
  const ascii = (from: number, to: number) => String.fromCharCode(...header.subarray(from, to));
  if (header.length >= 8 && /^(ftyp|moov|mdat|free|skip|wide|pnot|uuid)$/.test(ascii(4, 8))) return 'mp4';
  if (header.length >= 4 && header[0] === 0x1a && header[1] === 0x45 && header[2] === 0xdf && header[3] === 0xa3) {
    return 'matroska';
  }
  if (header.length >= 12 && ascii(0, 4) === 'RIFF' && ascii(8, 12) === 'AVI ') return 'avi';
  if (header.length >= 4 && ascii(0, 4) === 'OggS') return 'ogg';
  if (header.length >= 3 && ascii(0, 3) === 'FLV') return 'flv';
  if (header.length >= 4 && header[0] === 0 && header[1] === 0 && header[2] === 1 && (header[3]! & 0xf0) === 0xb0) {
    return 'mpeg';
  }
  // MPEG-TS: sync byte every 188 bytes (a lone 'G' would match text).
  if (header.length >= 189 && header[0] === 0x47 && header[188] === 0x47) return 'mpegts';
  if (header.length >= 16 && header[0] === 0x30 && header[1] === 0x26 && header[2] === 0xb2 && header[3] === 0x75) {
    return 'asf';
  }
  return null;
}

/** What ffprobe said, or why it refused; `reason` is ffprobe's own last line when it failed. */
export type ProbeResult = MediaInfo | (Error & { reason?: string });

// Still-picture codecs: a file holding only one of these is a photo, not a clip.
const IMAGE_CODECS = new Set([
  'png',
  'mjpeg',
  'jpegls',
  'bmp',
  'webp',
  'tiff',
  'gif',
  'jpeg2000',
  'jpegxl',
  'ppm',
  'pgm',
  'heif',
]);
// Text formats ffprobe "plays" as video (the tty demuxer claims .txt/.nfo/.asc files).
const TEXT_CODECS = new Set(['ansi', 'bintext', 'xbin', 'idf', 'tty']);

function formatBytes(bytes: number): string {
  const gib = bytes / 1024 ** 3;
  if (gib >= 1) return `${gib.toFixed(gib >= 10 ? 0 : 1)} GB`;
  return `${Math.round(bytes / 1024 ** 2)} MB`;
}

function problem(code: ClipProblem['code'], message: string): ClipProblem {
  return { code, message };
}

function isStillImage(info: MediaInfo): boolean {
  const video = info.video;
  if (!video) return false;
  const imageContainer = info.container === 'image2' || info.container.endsWith('_pipe');
  const oneFrame = (video.frames !== undefined && video.frames <= 1) || info.duration < 0.05;
  return imageContainer || (IMAGE_CODECS.has(video.codec) && oneFrame);
}

const textFile = (name: string) =>
  problem('NOT_A_VIDEO', `${name} is a text file, not a video. Add video clips such as MP4, MOV or WebM.`);

/** Text (ASCII or UTF-8, tabs and line breaks): no NUL and no other control bytes in the first bytes read. */
export function looksLikeText(header: Uint8Array): boolean {
  if (header.length === 0) return false;
  return header.every((b) => b >= 0x20 || b === 0x09 || b === 0x0a || b === 0x0d);
}

/**
 * Why a file cannot be mixed, in words for the user, each naming the file. Pure: the caller stats, probes and
 * (optionally) decode-checks. `stat` null means the file is gone. An empty list means the clip is usable.
 */
export function validateMedia(
  path: string,
  probe: ProbeResult | null,
  stat: { size: number } | null,
  limits: ValidationLimits = DEFAULT_LIMITS,
  evidence: Evidence = {},
): ClipProblem[] {
  const { decode, header, filters } = evidence;
  const name = `"${basename(path)}"`;
  if (!stat) return [problem('MISSING', `${name} was not found. It may have been moved, renamed or deleted.`)];
  if (stat.size === 0) return [problem('EMPTY_FILE', `${name} is empty (0 bytes). Copy or export it again.`)];
  const problems: ClipProblem[] = [];
  if (stat.size > limits.maxBytes) {
    problems.push(
      problem(
        'TOO_LARGE',
        `${name} is ${formatBytes(stat.size)}, above the ${formatBytes(limits.maxBytes)} limit. Trim it or export it smaller.`,
      ),
    );
  }
  if (!probe) return problems;
  if (probe instanceof Error) {
    const reason = probe.reason ?? probe.message;
    const damaged = () =>
      problem('UNDECODABLE', `${name} is cut off or damaged (${reason}). Copy or download it again.`);
    const notVideo = () =>
      problem('NOT_A_VIDEO', `${name} is not a video file. Add video clips such as MP4, MOV or WebM.`);
    if (header) {
      // The first bytes decide: a known container that ffprobe cannot read is damaged, anything else never was one.
      if (sniffContainer(header) !== null) problems.push(damaged());
      else problems.push(looksLikeText(header) ? textFile(name) : notVideo());
    } else if (/moov atom not found|partial file|ended prematurely|truncat|end of file/i.test(reason)) {
      problems.push(damaged());
    } else if (/Invalid data found|could not find codec|unknown format/i.test(reason)) {
      problems.push(notVideo());
    } else {
      problems.push(problem('UNDECODABLE', `${name} could not be read (${reason}). It may be damaged.`));
    }
    return problems;
  }
  const info = probe;
  if (info.video && (TEXT_CODECS.has(info.video.codec) || info.container === 'tty')) {
    problems.push(textFile(name));
    return problems;
  }
  if (!info.video) {
    if (info.audio) {
      problems.push(
        problem('AUDIO_ONLY', `${name} has sound but no picture. Use it as background music, not as a clip.`),
      );
    } else {
      problems.push(problem('NOT_A_VIDEO', `${name} has no video stream. Add video clips such as MP4, MOV or WebM.`));
    }
    return problems;
  }
  if (isStillImage(info)) {
    problems.push(problem('STILL_IMAGE', `${name} is a still image, not a video. Add video clips instead.`));
    return problems;
  }
  const missing = isHdr(info.video) && filters ? HDR_FILTERS.filter((f) => !filters.has(f)) : [];
  if (missing.length > 0) {
    problems.push(
      problem(
        'HDR_UNSUPPORTED',
        `${name} is HDR (${info.video.colorTransfer === 'smpte2084' ? 'PQ' : 'HLG'}), and the FFmpeg in use lacks the ${missing.join(' and ')} filter${missing.length > 1 ? 's' : ''} needed to convert it to normal (SDR) colour. Use an FFmpeg built with zimg (libzimg), or export the clip as SDR.`,
      ),
    );
  }
  if (decode && !decode.ok) {
    problems.push(
      problem(
        'UNDECODABLE',
        `${name} is cut off or damaged and cannot be played to the end${decode.detail ? ` (${decode.detail})` : ''}. Copy or export it again.`,
      ),
    );
  }
  if (info.duration < limits.minDuration) {
    problems.push(
      problem(
        'TOO_SHORT',
        `${name} lasts ${info.duration.toFixed(2)} s; clips need at least ${limits.minDuration} s. Use a longer clip.`,
      ),
    );
  }
  return problems;
}
