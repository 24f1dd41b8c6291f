import type { MediaInfo } from '@vmp/shared';
import { type LoudnessPlan, NO_CHANGE } from '../loudness/gain.ts';
import {
  AUDIO_RATE,
  clipFrames,
  fitGraph,
  type Profile,
  samplesForFrames,
  videoEncoderArgs,
} from '../profiles/profile.ts';
import { audioInputChain, audioStartChain, inputVideoChain } from './input-chain.ts';

export interface NormalisePlan {
  frames: number;
  samples: number;
  /** Seconds, exactly frames / fps. */
  duration: number;
}

export function normalisePlan(info: MediaInfo, profile: Profile): NormalisePlan {
  const frames = clipFrames(info, profile);
  return { frames, samples: samplesForFrames(frames, profile.fps), duration: frames / profile.fps };
}

/**
 * Audio after normalisation: 48 kHz stereo s16, padded with silence or cut to exactly `samples`. `treat` (the
 * loudness gain and limiter: see audioInputChain) runs on float samples before they are rounded to 16 bits.
 */
export function normaliseAudioChain(samples: number, treat = ''): string {
  const float = treat ? `aformat=sample_fmts=flt:sample_rates=${AUDIO_RATE}:channel_layouts=stereo,${treat}` : '';
  return (
    `aresample=${AUDIO_RATE},${float}aformat=sample_fmts=s16:sample_rates=${AUDIO_RATE}:channel_layouts=stereo,` +
    `apad,atrim=end_sample=${samples},asetpts=N/SR/TB`
  );
}

/**
 * One source → one intermediate (MOV: H.264 + PCM). Rotation is applied by FFmpeg's autorotate on input; frames are
 * retimed to a constant rate first (cheaper: 60 fps sources are halved before scaling), fitted, and the last frame
 * is cloned if rounding left the clip short, then `trim` cuts it to the exact count. (Not `-frames:v`: it stops the
 * muxer before the buffered audio tail is written.)
 * PCM, not AAC: AAC priming/padding would shift audio 23–46 ms at every stream-copied join.
 */
export function normaliseArgs(
  input: string,
  info: MediaInfo,
  profile: Profile,
  output: string,
  extras: {
    /** Burned-in text (engine/text), drawn on the fitted frame so it lands inside the canvas's safe zone. */
    textFilter?: string;
    loudness?: LoudnessPlan;
  } = {},
): string[] {
  const { textFilter, loudness = NO_CHANGE } = extras;
  const { frames, samples } = normalisePlan(info, profile);
  const video =
    `[0:v:0]${inputVideoChain(info, profile.fps)}[n_in];` +
    `${fitGraph(profile, 'n_in', 'n_fit')};` +
    `[n_fit]${textFilter ? `${textFilter},` : ''}format=yuv420p,tpad=stop_mode=clone:stop_duration=2,trim=end_frame=${frames}[v]`;
  const audio = info.audio
    ? `[0:a:0]${audioStartChain(info)}${normaliseAudioChain(samples, audioInputChain(loudness))}[a]`
    : // Clips without sound get a silent track so every intermediate has the same streams.
      `anullsrc=r=${AUDIO_RATE}:cl=stereo,${normaliseAudioChain(samples)}[a]`;
  return [
    // Stream timestamps as the file has them, so audio keeps its offset to the video (see audioStartChain).
    ...(info.video?.startTime === undefined ? [] : ['-copyts']),
    '-i',
    input,
    '-filter_complex',
    `${video};${audio}`,
    '-map',
    '[v]',
    '-map',
    '[a]',
    ...videoEncoderArgs(profile.fps),
    '-c:a',
    'pcm_s16le',
    '-map_metadata',
    '-1',
    '-map_chapters',
    '-1',
    '-f',
    'mov',
    output,
  ];
}
