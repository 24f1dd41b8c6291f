import type { AudioSettings, Variations } from '@vmp/shared';
import {
  AUDIO_OUTPUT_ARGS,
  OUTPUT_CONTAINER_ARGS,
  type Profile,
  samplesForFrames,
  videoEncoderArgs,
} from '../profiles/profile.ts';
import { metadataArgs, type OutputMetadata } from './assemble-args.ts';
import { audioGraph, num } from './audio-graph.ts';

/** The concrete micro-variation of one output. */
export interface Variation {
  /** Playback speed factor, e.g. 1.021. */
  speed: number;
  /** Zoom-in factor ≥ 1, e.g. 1.03. */
  zoom: number;
  /** Crop position inside the zoomed frame, 0–1 each. */
  panX: number;
  panY: number;
  /** eq: brightness is additive (−1…1), contrast and saturation multiply. */
  brightness: number;
  contrast: number;
  saturation: number;
  mirror: boolean;
}

/** mulberry32: tiny, fast, good enough to spread parameters; the same seed gives the same output. */
export function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * Draws one output's variation from its seed within the user's limits (percent). Each parameter is drawn away from
 * zero (at least a fifth of the limit) so two outputs of the same clips never come out pixel-identical by chance.
 */
export function drawVariation(seed: number, limits: Variations): Variation {
  const random = prng(seed);
  const signed = (limitPercent: number) => {
    const magnitude = (0.2 + 0.8 * random()) * (limitPercent / 100);
    return random() < 0.5 ? -magnitude : magnitude;
  };
  const speed = 1 + signed(limits.speed);
  const zoom = 1 + (0.2 + 0.8 * random()) * (limits.zoom / 100);
  const panX = random();
  const panY = random();
  const brightness = signed(limits.color) / 2;
  const contrast = 1 + signed(limits.color);
  const saturation = 1 + signed(limits.color);
  const mirror = limits.mirror && random() < 0.5;
  return { speed, zoom, panX, panY, brightness, contrast, saturation, mirror };
}

/** Frames after a speed change: the output still has exactly this many, audio exactly matching. */
export function variedFrames(frames: number, speed: number): number {
  return Math.max(1, Math.round(frames / speed));
}

export interface UniqueJob {
  listFile: string;
  output: string;
  profile: Profile;
  /** Frames of the concatenated intermediates (before the speed change). */
  frames: number;
  variation: Variation;
  audio: Pick<AudioSettings, 'mode' | 'musicPath' | 'musicVolume' | 'clipVolume'>;
  metadata: OutputMetadata;
  /** Burned-in text over the whole output (engine/text), drawn after the variation so it is not zoomed or mirrored. */
  textFilter?: string;
  /** Frames and audio samples of each concatenated intermediate, in order: each join's sound is put on its frame. */
  clips?: readonly { frames: number; samples: number }[];
}

/**
 * The clips' audio, time-stretched by `speed` so that every join lands on the frame where the picture changes.
 * The picture's joins snap to the frame grid (fps picks whole frames after the speed change) while one atempo over
 * the whole track would put them at their exact stretched time, up to half a frame (17 ms at 30 fps) away: each
 * clip's audio is stretched on its own, to exactly the samples of its frames in the output.
 */
export function stretchedAudio(
  clips: readonly { frames: number; samples: number }[],
  speed: number,
  fps: number,
  out: string,
): string {
  if (clips.length <= 1) return `[0:a:0]atempo=${num(speed)}[${out}];`;
  const total = clips.reduce((sum, c) => sum + c.frames, 0);
  let inFrames = 0;
  let inSamples = 0;
  let outSamples = 0;
  const parts: string[] = [];
  for (const [k, clip] of clips.entries()) {
    inFrames += clip.frames;
    // Where fps puts the first frame of the next clip (rounded to the nearest output frame); the end at the last.
    const endFrame = k === clips.length - 1 ? variedFrames(total, speed) : Math.round(inFrames / speed);
    const endSample = samplesForFrames(endFrame, fps);
    const length = endSample - outSamples;
    const tempo = clip.samples / Math.max(1, length);
    parts.push(
      `[${out}_in${k}]atrim=start_sample=${inSamples}:end_sample=${inSamples + clip.samples},asetpts=PTS-STARTPTS,` +
        `atempo=${num(tempo)},apad,atrim=end_sample=${length}[${out}_${k}]`,
    );
    inSamples += clip.samples;
    outSamples = endSample;
  }
  const split = `[0:a:0]asplit=${clips.length}${clips.map((_, k) => `[${out}_in${k}]`).join('')}`;
  const concat = `${clips.map((_, k) => `[${out}_${k}]`).join('')}concat=n=${clips.length}:v=0:a=1[${out}]`;
  return `${split};${parts.join(';')};${concat};`;
}

/** One re-encode of the concatenated intermediates with this output's variation. */
export function uniqueArgs(job: UniqueJob): string[] {
  const { profile, variation: v } = job;
  const { width: w, height: h, fps } = profile;
  const frames = variedFrames(job.frames, v.speed);
  const samples = samplesForFrames(frames, fps);
  // Zoom = crop a slightly smaller window, then one scale back to the canvas (scaling the smaller image is the
  // cheaper order, and the frame ends exactly W×H).
  const cw = Math.min(w, Math.round(w / v.zoom / 2) * 2);
  const ch = Math.min(h, Math.round(h / v.zoom / 2) * 2);
  const x = Math.round((w - cw) * v.panX);
  const y = Math.round((h - ch) * v.panY);
  const video =
    `[0:v:0]setpts=(PTS-STARTPTS)/${num(v.speed)},fps=${fps},` +
    `crop=${cw}:${ch}:${x}:${y},scale=${w}:${h},` +
    `eq=brightness=${num(v.brightness)}:contrast=${num(v.contrast)}:saturation=${num(v.saturation)},` +
    `${v.mirror ? 'hflip,' : ''}setsar=1,${job.textFilter ? `${job.textFilter},` : ''}format=yuv420p,tpad=stop_mode=clone:stop_duration=2,trim=end_frame=${frames}[v]`;
  const music = job.audio.mode === 'music' && job.audio.musicPath ? job.audio.musicPath : undefined;
  // Muted outputs leave the clips' audio unused (an unconnected pad would be an error).
  const audioIn =
    job.audio.mode === 'mute'
      ? ''
      : stretchedAudio(
          job.clips ?? [{ frames: job.frames, samples: samplesForFrames(job.frames, fps) }],
          v.speed,
          fps,
          'tempo',
        );
  const audio = audioGraph(
    music ? job.audio : { ...job.audio, mode: job.audio.mode === 'mute' ? 'mute' : 'keep' },
    samples,
    {
      clipAudio: 'tempo',
      ...(music ? { musicAudio: '1:a:0' } : {}),
      out: 'a',
    },
  );
  return [
    '-f',
    'concat',
    '-safe',
    '0',
    '-i',
    job.listFile,
    ...(music ? ['-stream_loop', '-1', '-i', music] : []),
    '-filter_complex',
    `${video};${audioIn}${audio}`,
    '-map',
    '[v]',
    '-map',
    '[a]',
    ...videoEncoderArgs(fps),
    ...AUDIO_OUTPUT_ARGS,
    ...metadataArgs(job.metadata),
    ...OUTPUT_CONTAINER_ARGS,
    job.output,
  ];
}
