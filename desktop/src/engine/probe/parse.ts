import type { MediaInfo } from '@vmp/shared';

/** The parts of `ffprobe -of json -show_streams -show_format -show_entries packet=...` we read. */
export interface FfprobeStream {
  index?: number;
  codec_type?: string;
  codec_name?: string;
  width?: number;
  height?: number;
  coded_width?: number;
  coded_height?: number;
  sample_aspect_ratio?: string;
  pix_fmt?: string;
  r_frame_rate?: string;
  avg_frame_rate?: string;
  duration?: string;
  nb_frames?: string;
  channels?: number;
  sample_rate?: string;
  disposition?: Record<string, number>;
  tags?: Record<string, string>;
  side_data_list?: Array<{ side_data_type?: string; rotation?: number | string }>;
}

export interface FfprobePacket {
  stream_index?: number;
  pts?: number | string;
  pts_time?: string;
}

export interface FfprobeOutput {
  streams?: FfprobeStream[];
  format?: { format_name?: string; duration?: string; size?: string; tags?: Record<string, string> };
  packets?: FfprobePacket[];
}

/** "30000/1001" → 29.97; "0/0", "N/A" or garbage → null. */
export function parseRate(rate: string | undefined): number | null {
  if (!rate) return null;
  const [num, den = '1'] = rate.split('/');
  const value = Number(num) / Number(den);
  return Number.isFinite(value) && value > 0 ? value : null;
}

/** "4:3" → 4/3; "0:1", "N/A" or missing → 1 (ffprobe says 0:1 when the stream does not declare one). */
export function parseSar(sar: string | undefined): { text: string; value: number } {
  if (!sar) return { text: '1:1', value: 1 };
  const [num, den] = sar.split(':').map(Number);
  if (!num || !den || !Number.isFinite(num / den)) return { text: '1:1', value: 1 };
  return { text: `${num}:${den}`, value: num / den };
}

function parseSeconds(value: string | undefined): number | null {
  if (value === undefined) return null;
  const n = Number(value);
  return Number.isFinite(n) && n >= 0 ? n : null;
}

/** Matroska keeps stream durations in a "DURATION" tag as "HH:MM:SS.nnnnnnnnn". */
export function parseClockDuration(value: string | undefined): number | null {
  if (!value) return null;
  const match = /^(\d+):(\d{1,2}):(\d{1,2}(?:\.\d+)?)$/.exec(value.trim());
  if (!match) return null;
  return Number(match[1]) * 3600 + Number(match[2]) * 60 + Number(match[3]);
}

/**
 * Clockwise degrees (0/90/180/270) the player turns the stored picture.
 * Newer ffprobe (5.x+) reports only the display matrix (`rotation` is counter-clockwise, e.g. -90);
 * older ones (4.x) also put the legacy clockwise `rotate` tag. The matrix wins when both exist.
 */
export function rotationOf(stream: FfprobeStream): number {
  const matrix = stream.side_data_list?.find(
    (sd) => sd.side_data_type === 'Display Matrix' && sd.rotation !== undefined,
  );
  let clockwise: number | null = null;
  if (matrix) {
    const ccw = Number(matrix.rotation);
    if (Number.isFinite(ccw)) clockwise = -ccw;
  }
  if (clockwise === null && stream.tags?.rotate !== undefined) {
    const tag = Number(stream.tags.rotate);
    if (Number.isFinite(tag)) clockwise = tag;
  }
  if (clockwise === null) return 0;
  // Snap to quarter turns: players (and our filters) only honour those.
  return (((Math.round(clockwise / 90) * 90) % 360) + 360) % 360;
}

/**
 * VFR from packet timestamps: CFR frames are evenly spaced (allowing 1 tick of rounding, e.g. 33/34 ms
 * in Matroska); VFR has gaps well above or below the usual spacing. r_frame_rate vs avg_frame_rate alone
 * misses it in Matroska/WebM, where ffprobe reports avg = r.
 */
export function timestampsLookVariable(pts: readonly number[]): boolean {
  const sorted = [...pts].filter(Number.isFinite).sort((a, b) => a - b);
  const deltas: number[] = [];
  for (let i = 1; i < sorted.length; i++) {
    const d = sorted[i]! - sorted[i - 1]!;
    if (d > 0) deltas.push(d);
  }
  if (deltas.length < 4) return false;
  const median = [...deltas].sort((a, b) => a - b)[Math.floor(deltas.length / 2)]!;
  const tolerance = Math.max(median * 0.25, 1e-9);
  const irregular = deltas.filter((d) => Math.abs(d - median) > tolerance).length;
  // One odd gap (a dropped frame, an edit-list seam) is not VFR; a pattern is.
  return irregular >= 2 && irregular / deltas.length >= 0.05;
}

export function ratesDisagree(
  rFrameRate: number | null,
  avgFrameRate: number | null,
  frames: number | undefined,
): boolean {
  if (rFrameRate === null || avgFrameRate === null) return false;
  // avg = frames/duration is noisy for very short streams.
  if (frames !== undefined && frames < 10) return false;
  return Math.abs(rFrameRate - avgFrameRate) / rFrameRate > 0.05;
}

function containerName(formatName: string | undefined, path: string): string {
  if (!formatName) return 'unknown';
  const names = formatName.split(',');
  const ext = path.slice(path.lastIndexOf('.') + 1).toLowerCase();
  return names.includes(ext) ? ext : (names[0] ?? formatName);
}

function isRealVideo(stream: FfprobeStream): boolean {
  // Cover art in music files is a "video" stream with attached_pic set: not a video.
  return stream.codec_type === 'video' && stream.disposition?.attached_pic !== 1;
}

/** Normalises ffprobe JSON into MediaInfo. Duration is the video stream's when known, since that is what gets mixed. */
export function parseFfprobe(raw: FfprobeOutput, file: { path: string; size: number }): MediaInfo {
  const streams = raw.streams ?? [];
  const v = streams.find(isRealVideo);
  const a = streams.find((s) => s.codec_type === 'audio');
  const formatDuration = parseSeconds(raw.format?.duration);

  let video: MediaInfo['video'] = null;
  let videoDuration: number | null = null;
  if (v) {
    const codedWidth = v.width ?? v.coded_width ?? 0;
    const codedHeight = v.height ?? v.coded_height ?? 0;
    const sar = parseSar(v.sample_aspect_ratio);
    const rotation = rotationOf(v);
    // SAR stretches the stored width; rotation then swaps the axes.
    const stretchedWidth = Math.round(codedWidth * sar.value);
    const quarter = rotation === 90 || rotation === 270;
    const rRate = parseRate(v.r_frame_rate);
    const avgRate = parseRate(v.avg_frame_rate);
    const framesNum = v.nb_frames !== undefined ? Number(v.nb_frames) : Number.NaN;
    const frames = Number.isInteger(framesNum) && framesNum >= 0 ? framesNum : undefined;
    const pts = (raw.packets ?? [])
      .filter((p) => p.stream_index === v.index)
      .map((p) => Number(p.pts ?? p.pts_time))
      .filter(Number.isFinite);
    videoDuration = parseSeconds(v.duration) ?? parseClockDuration(v.tags?.DURATION ?? v.tags?.duration);
    video = {
      codec: v.codec_name ?? 'unknown',
      codedWidth,
      codedHeight,
      width: quarter ? codedHeight : stretchedWidth,
      height: quarter ? stretchedWidth : codedHeight,
      rotation,
      sar: sar.text,
      fps: avgRate ?? rRate ?? 0,
      vfr: timestampsLookVariable(pts) || ratesDisagree(rRate, avgRate, frames),
      pixFmt: v.pix_fmt ?? 'unknown',
      ...(frames === undefined ? {} : { frames }),
    };
  }

  let audio: MediaInfo['audio'] = null;
  if (a) {
    const audioDuration = parseSeconds(a.duration) ?? parseClockDuration(a.tags?.DURATION ?? a.tags?.duration);
    audio = {
      codec: a.codec_name ?? 'unknown',
      channels: a.channels ?? 0,
      sampleRate: Number(a.sample_rate ?? 0) || 0,
      ...(audioDuration === null ? {} : { duration: audioDuration }),
    };
  }

  return {
    container: containerName(raw.format?.format_name, file.path),
    duration: videoDuration ?? formatDuration ?? 0,
    size: file.size,
    video,
    audio,
  };
}
