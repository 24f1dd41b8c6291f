import {
  type FitMode,
  type Loudness,
  type MediaInfo,
  OUTPUT_FORMATS,
  type OutputFormat,
  type RenderSettings,
} from '@vmp/shared';

/** Everything that decides how a normalised intermediate looks. Two equal profiles give byte-compatible streams. */
export interface Profile {
  format: OutputFormat;
  width: number;
  height: number;
  fps: number;
  fit: FitMode;
  /** normalize: the intermediate's audio is brought to the common loudness (measured once per clip). */
  loudness: Loudness;
}

export const AUDIO_RATE = 48_000;
export const DEFAULT_FPS = 30;

export function resolveProfile(
  settings: Partial<Pick<RenderSettings, 'format' | 'fit' | 'fps' | 'loudness'>> = {},
): Profile {
  const format = settings.format ?? '9:16';
  const { width, height } = OUTPUT_FORMATS[format];
  return {
    format,
    width,
    height,
    fps: settings.fps ?? DEFAULT_FPS,
    fit: settings.fit ?? 'cover',
    loudness: settings.loudness ?? 'normalize',
  };
}

/** Stable text naming a profile, part of the cache key. Bump NORMALISE_VERSION when encoder settings change. */
export const NORMALISE_VERSION = 3;
export function profileKey(profile: Profile): string {
  return `v${NORMALISE_VERSION}-${profile.width}x${profile.height}-${profile.fps}fps-${profile.fit}-loudness-${profile.loudness}`;
}

/**
 * x264 settings shared by every intermediate (and by unique renders and the benchmark's naive baseline).
 * Same preset, CRF, profile, level, GOP and colour tags for every clip means every intermediate carries the same
 * SPS/PPS, so the concat demuxer can join them with a stream copy and one avcC serves the whole output.
 * veryfast/CRF 20: intermediates ARE the delivered video in the fast strategy, so quality matters, but on 2 shared
 * cores veryfast encodes 1080p about twice as fast as medium for a few percent more bytes; CRF 20 looks clean on
 * phone screens. Closed GOPs (+cgop, no scene-cut keyframes) so every segment starts self-contained.
 */
export function videoEncoderArgs(fps: number): string[] {
  const gop = String(Math.max(1, Math.round(fps * 2)));
  return [
    '-c:v',
    'libx264',
    '-preset',
    'veryfast',
    '-crf',
    '20',
    '-profile:v',
    'high',
    '-level:v',
    '4.2',
    '-pix_fmt',
    'yuv420p',
    '-g',
    gop,
    '-keyint_min',
    gop,
    '-sc_threshold',
    '0',
    '-flags',
    '+cgop',
    // Sources carry all kinds of colour tags; they end up in the SPS VUI, so force one set.
    '-colorspace',
    'bt709',
    '-color_primaries',
    'bt709',
    '-color_trc',
    'bt709',
    '-color_range',
    'tv',
  ];
}

/**
 * AAC for delivered files: one encode per output (never per intermediate: see assemble-args.ts). This encode is
 * most of what an extra output costs. FFmpeg's `fast` coder at 160k takes about half the CPU of the default
 * (twoloop) coder at 128k and measures closer to the source (SNR), at 40 KB more per 10 s; loudness and sample
 * count are the same (figures in scripts/bench/README.md, `npm run bench -- --moonshot --aac`).
 */
export const AUDIO_OUTPUT_ARGS = [
  '-c:a',
  'aac',
  '-aac_coder',
  'fast',
  '-b:a',
  '160k',
  '-ar',
  String(AUDIO_RATE),
  '-ac',
  '2',
];

/** Container flags for delivered files: moov first so players start before the download ends. */
export const OUTPUT_CONTAINER_ARGS = ['-movflags', '+faststart', '-f', 'mp4'];

/** Frames a clip of `duration` seconds gets at `fps`: at least one. */
export function frameCount(duration: number, fps: number): number {
  return Math.max(1, Math.round(duration * fps));
}

/** Audio samples that exactly cover `frames` video frames. */
export function samplesForFrames(frames: number, fps: number): number {
  return Math.round((frames * AUDIO_RATE) / fps);
}

/**
 * Seconds of video a clip holds. A CFR stream's frame count is exact; otherwise the container duration.
 * Audio longer than the video must not lengthen the clip, so prefer the video's own numbers.
 */
export function clipVideoDuration(info: MediaInfo): number {
  const video = info.video;
  if (video?.frames && video.fps > 0 && !video.vfr) return video.frames / video.fps;
  return info.duration;
}

/** Frames the normalised clip will have at the profile's rate. */
export function clipFrames(info: MediaInfo, profile: Profile): number {
  return frameCount(clipVideoDuration(info), profile.fps);
}

function even(n: number): number {
  return Math.max(2, Math.round(n / 2) * 2);
}

/**
 * `scale` options that fit inside W×H (contain), from the display aspect ratio (`dar` includes the sample aspect
 * ratio, so anamorphic sources come out right). Sizes stay even for yuv420p.
 */
export function containScaleExpr(width: number, height: number): string {
  const ratio = `${width}/${height}`;
  return `scale=w='if(gt(dar,${ratio}),${width},max(2,floor(${height}*dar/2)*2))':h='if(gt(dar,${ratio}),max(2,floor(${width}/dar/2)*2),${height})'`;
}

/**
 * `crop` to the display aspect ratio of W×H, centred, in stored pixels (`sar` makes anamorphic sources come out
 * right). Cropping before scaling means the scaler only makes the W×H pixels that are kept: a landscape 1080p
 * source going to 9:16 is scaled from 608×1080 instead of to 3414×1920 and then cut (a 4K one saves far more).
 */
export function coverCropExpr(width: number, height: number): string {
  const ratio = `${width}/${height}`;
  return (
    `crop=w='if(gt(dar,${ratio}),min(iw,round(ih*${ratio}/sar)),iw)'` +
    `:h='if(gt(dar,${ratio}),ih,min(ih,round(iw*sar/(${ratio}))))'`
  );
}

/**
 * filter_complex fragment taking `[input]` (decoded, already auto-rotated) to `[output]`: exactly W×H, SAR 1.
 * cover crops the overflow; contain pads with black; blur puts the contained clip over a blurred, zoomed copy.
 */
export function fitGraph(profile: Profile, input: string, output: string): string {
  const { width: w, height: h } = profile;
  switch (profile.fit) {
    case 'cover':
      return `[${input}]${coverCropExpr(w, h)},scale=${w}:${h},setsar=1[${output}]`;
    case 'contain':
      return `[${input}]${containScaleExpr(w, h)},setsar=1,pad=${w}:${h}:(ow-iw)/2:(oh-ih)/2:color=black[${output}]`;
    case 'blur': {
      // Blur a small copy and scale it up: same look as blurring at 1080p for a fraction of the CPU.
      const bw = even(w / 10);
      const bh = even(h / 10);
      return (
        `[${input}]split=2[${output}_bg0][${output}_fg0];` +
        `[${output}_bg0]${coverCropExpr(bw, bh)},scale=${bw}:${bh},setsar=1,boxblur=4:2,scale=${w}:${h},setsar=1[${output}_bg];` +
        `[${output}_fg0]${containScaleExpr(w, h)},setsar=1[${output}_fg];` +
        `[${output}_bg][${output}_fg]overlay=(W-w)/2:(H-h)/2,setsar=1[${output}]`
      );
    }
  }
}
