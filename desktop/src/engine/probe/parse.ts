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
  color_space?: string;
  color_transfer?: string;
  color_primaries?: string;
  color_range?: string;
  field_order?: string;
  start_time?: string;
  time_base?: string;
}

export interface FfprobePacket {
  stream_index?: number;
  pts?: number | string;
  pts_time?: string;
  duration?: number | string;
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

/** Colour and field tags as ffprobe names them; "unknown"/"unspecified" are left out (the stream does not say). */
function colourTags(v: FfprobeStream): Partial<NonNullable<MediaInfo['video']>> {
  const out: Record<string, string> = {};
  const keep = (key: string, value: string | undefined) => {
    if (value && value !== 'unknown' && value !== 'unspecified' && value !== 'reserved') out[key] = value;
  };
  keep('colorSpace', v.color_space);
  keep('colorTransfer', v.color_transfer);
  keep('colorPrimaries', v.color_primaries);
  keep('colorRange', v.color_range);
  keep('fieldOrder', v.field_order);
  return out;
}

function startOf(stream: FfprobeStream): { startTime?: number } {
  const start = Number(stream.start_time);
  return stream.start_time !== undefined && Number.isFinite(start) ? { startTime: start } : {};
}

function streamPackets(packets: readonly FfprobePacket[], stream: FfprobeStream): FfprobePacket[] {
  return packets.filter((p) => p.stream_index === stream.index);
}

/**
 * Seconds from the first packet to the end of the last one, for streams that state no duration at all (older
 * ffprobe says nothing for GIF). The caller reads every packet when it needs this (see probeFile).
 */
export function packetSpan(packets: readonly FfprobePacket[], stream: FfprobeStream): number | null {
  const [num, den] = (stream.time_base ?? '').split('/').map(Number);
  if (!num || !den) return null;
  const own = streamPackets(packets, stream).filter((p) => Number.isFinite(Number(p.pts)));
  if (own.length === 0) return null;
  const first = Math.min(...own.map((p) => Number(p.pts)));
  const end = Math.max(...own.map((p) => Number(p.pts) + (Number(p.duration) || 0)));
  return ((end - first) * num) / den;
}

/** Frames from packets when the window read covers the whole stream (a short GIF): otherwise unknown. */
function packetCount(
  packets: readonly FfprobePacket[],
  stream: FfprobeStream,
  duration: number | null,
  formatDuration: number | null,
): number | undefined {
  if (stream.duration !== undefined || stream.nb_frames !== undefined) return undefined;
  const span = packetSpan(packets, stream);
  const total = duration ?? formatDuration;
  if (span === null || total === null || Math.abs(span - total) > 1e-3) return undefined;
  return streamPackets(packets, stream).length;
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
    videoDuration =
      parseSeconds(v.duration) ??
      parseClockDuration(v.tags?.DURATION ?? v.tags?.duration) ??
      packetSpan(raw.packets ?? [], v);
    const counted = frames ?? packetCount(raw.packets ?? [], v, videoDuration, formatDuration);
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
      ...(counted === undefined ? {} : { frames: counted }),
      ...colourTags(v),
      ...startOf(v),
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
      ...startOf(a),
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
