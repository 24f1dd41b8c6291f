import { z } from 'zod';
import { ValidationError } from './errors.ts';
import { OUTPUT_FORMATS, type OutputFormat } from './media.ts';
import { PLACEMENT_NAMES, PlacementName } from './placement-names.ts';

/**
 * Where an ad runs, with what that platform accepts. One module: the CLI, the app, the farm and the pre-flight check
 * read these numbers. Sources for each number are cited in the README ("Placements").
 */

/** Fractions of the canvas kept clear of text on each side: where the platforms draw buttons, captions, names. */
export interface SafeZone {
  top: number;
  bottom: number;
  left: number;
  right: number;
}

/** What every placement asks of the file: the delivery profile our encoder already produces. */
export interface Encoding {
  videoCodec: 'h264';
  /** ffprobe's profile name. */
  profile: 'High';
  pixFmt: 'yuv420p';
  constantFrameRate: true;
  audioCodec: 'aac';
  /** ffprobe's profile name for AAC-LC. */
  audioProfile: 'LC';
  sampleRate: 48_000;
  channels: 2;
  /** Bits per second, at least. */
  minAudioBitrate: number;
  /** moov atom before mdat, so playback and upload processing start before the whole file is read. */
  faststart: true;
}

export interface LoudnessTarget {
  /** Integrated loudness, LUFS. */
  integrated: number;
  /** How far from `integrated` still passes, LU (ebur128's own spread on short ads is about ±0.5). */
  tolerance: number;
  /** True peak, dBTP, at most. */
  truePeak: number;
}

export interface Placement {
  name: PlacementName;
  label: string;
  /** The plain format with this canvas (the engine's intermediates are made once per format). */
  format: OutputFormat;
  width: number;
  height: number;
  fps: number;
  /** Seconds, at most (what the placement plays; longer is refused or cut by the platform). */
  maxDuration: number;
  /** Seconds, at least. */
  minDuration: number;
  /** Bytes, at most. */
  maxFileSize: number;
  encoding: Encoding;
  loudness: LoudnessTarget;
  safeZone: SafeZone;
}

export { PLACEMENT_NAMES, PlacementName } from './placement-names.ts';

export const DELIVERY_ENCODING: Encoding = {
  videoCodec: 'h264',
  profile: 'High',
  pixFmt: 'yuv420p',
  constantFrameRate: true,
  audioCodec: 'aac',
  audioProfile: 'LC',
  sampleRate: 48_000,
  channels: 2,
  minAudioBitrate: 128_000,
  faststart: true,
};

export const DELIVERY_LOUDNESS: LoudnessTarget = { integrated: -14, tolerance: 1, truePeak: -1 };

const MB = 1024 * 1024;
const GB = 1024 * MB;

/**
 * Safe zones of the plain formats (no placement chosen): small margins for the feed shapes; 9:16 is the union of the
 * TikTok, Reels and Shorts zones below, so a plain 9:16 output's text is clear on all three.
 */
export const FORMAT_SAFE_ZONES: Record<OutputFormat, SafeZone> = {
  '9:16': { top: 0.14, bottom: 0.35, left: 0.06, right: 0.16 },
  '4:5': { top: 0.06, bottom: 0.1, left: 0.06, right: 0.06 },
  '1:1': { top: 0.06, bottom: 0.08, left: 0.06, right: 0.06 },
  '16:9': { top: 0.06, bottom: 0.1, left: 0.05, right: 0.05 },
};

function placement(
  name: PlacementName,
  label: string,
  format: OutputFormat,
  limits: Pick<Placement, 'maxDuration' | 'minDuration' | 'maxFileSize' | 'safeZone'>,
): Placement {
  const { width, height } = OUTPUT_FORMATS[format];
  return {
    name,
    label,
    format,
    width,
    height,
    fps: 30,
    encoding: DELIVERY_ENCODING,
    loudness: DELIVERY_LOUDNESS,
    ...limits,
  };
}

export const PLACEMENTS: Record<PlacementName, Placement> = {
  // TikTok In-Feed: 5–60 s, ≤ 500 MB (TikTok Ads Help "Video Ads Specifications"). The safe zone TikTok publishes as
  // overlay files that vary with caption length; these numbers follow the common reading of them (README).
  tiktok: placement('tiktok', 'TikTok (In-Feed)', '9:16', {
    minDuration: 5,
    maxDuration: 60,
    maxFileSize: 500 * MB,
    safeZone: { top: 0.08, bottom: 0.25, left: 0.06, right: 0.14 },
  }),
  // Meta Reels and Stories: Stories play up to 60 s; Meta's Reels guidance keeps 14 % top, 35 % bottom, 6 % sides clear.
  reels: placement('reels', 'Reels and Stories (Meta)', '9:16', {
    minDuration: 1,
    maxDuration: 60,
    maxFileSize: 4 * GB,
    safeZone: { top: 0.14, bottom: 0.35, left: 0.06, right: 0.06 },
  }),
  // YouTube Shorts ads: only the first 60 s play in the Shorts feed (Google Ads Help). Safe zone: README.
  shorts: placement('shorts', 'YouTube Shorts', '9:16', {
    minDuration: 1,
    maxDuration: 60,
    maxFileSize: 256 * GB,
    safeZone: { top: 0.1, bottom: 0.25, left: 0.06, right: 0.16 },
  }),
  'feed-4x5': placement('feed-4x5', 'Feed 4:5 (Facebook, Instagram)', '4:5', {
    minDuration: 1,
    maxDuration: 241 * 60,
    maxFileSize: 4 * GB,
    safeZone: FORMAT_SAFE_ZONES['4:5'],
  }),
  'feed-1x1': placement('feed-1x1', 'Feed 1:1 (Facebook, Instagram)', '1:1', {
    minDuration: 1,
    maxDuration: 241 * 60,
    maxFileSize: 4 * GB,
    safeZone: FORMAT_SAFE_ZONES['1:1'],
  }),
  'youtube-16x9': placement('youtube-16x9', 'YouTube 16:9', '16:9', {
    minDuration: 1,
    maxDuration: 12 * 3600,
    maxFileSize: 256 * GB,
    safeZone: FORMAT_SAFE_ZONES['16:9'],
  }),
};

/** The safe zone text must stay inside for this placement, or for a plain format when none is chosen. */
export function safeZoneFor(placement: PlacementName | null | undefined, format: OutputFormat): SafeZone {
  return placement ? PLACEMENTS[placement].safeZone : FORMAT_SAFE_ZONES[format];
}

/** Thrown for a name that is no placement; `valid` lists the ones there are. */
export class UnknownPlacementError extends ValidationError {
  override readonly code = 'UNKNOWN_PLACEMENT';
  constructor(readonly value: string) {
    super(`Unknown placement "${value}". Use one of: ${PLACEMENT_NAMES.join(', ')}.`, {
      value,
      valid: PLACEMENT_NAMES,
    });
  }
}

/** Parses "reels,feed-4x5" (spaces and case forgiven, duplicates dropped, order kept). */
export function parsePlacements(list: string): PlacementName[] {
  const names = list
    .split(',')
    .map((s) => s.trim().toLowerCase())
    .filter(Boolean);
  if (names.length === 0) throw new UnknownPlacementError(list);
  const out: PlacementName[] = [];
  for (const name of names) {
    const parsed = PlacementName.safeParse(name);
    if (!parsed.success) throw new UnknownPlacementError(name);
    if (!out.includes(parsed.data)) out.push(parsed.data);
  }
  return out;
}

/** Names of the pre-flight rules, stable for programs. */
export const PreflightRule = z.enum([
  'duration',
  'canvas',
  'frameRate',
  'constantFrameRate',
  'videoCodec',
  'videoProfile',
  'pixelFormat',
  'audio',
  'audioCodec',
  'audioSampleRate',
  'audioChannels',
  'audioBitrate',
  'moovFirst',
  'fileSize',
  'loudness',
  'truePeak',
  'safeZone',
]);
export type PreflightRule = z.infer<typeof PreflightRule>;

/** One failed rule: what was found (`value`) against what the placement allows (`limit`). */
export const PreflightProblem = z.object({
  rule: PreflightRule,
  message: z.string(),
  value: z.union([z.string(), z.number(), z.null()]),
  limit: z.union([z.string(), z.number(), z.null()]),
});
export type PreflightProblem = z.infer<typeof PreflightProblem>;

/** A delivered file checked against its placement. */
export const Preflight = z.object({
  placement: PlacementName,
  ok: z.boolean(),
  problems: z.array(PreflightProblem),
  /** Rules not checked and why (e.g. no record of the text drawn for a file made elsewhere). */
  skipped: z.array(z.object({ rule: PreflightRule, reason: z.string() })).default([]),
});
export type Preflight = z.infer<typeof Preflight>;

/** Two outputs of one placement whose first 3 s look alike (mean dHash distance of sampled frames, bits of 64). */
export const NearDuplicate = z.object({
  placement: z.string(),
  a: z.string(),
  b: z.string(),
  distance: z.number().nonnegative(),
});
export type NearDuplicate = z.infer<typeof NearDuplicate>;
