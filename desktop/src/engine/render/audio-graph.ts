import type { AudioSettings } from '@vmp/shared';
import { AUDIO_RATE } from '../profiles/profile.ts';

/** Longest music fade-out at the end of an output, seconds (shorter outputs fade over their last quarter). */
export const MUSIC_FADE_SECONDS = 2;

const FORMAT = `aformat=sample_fmts=fltp:sample_rates=${AUDIO_RATE}:channel_layouts=stereo`;

/**
 * filter_complex fragment producing `[out]`: the output's audio, exactly `samples` long.
 * keep: the clips' audio; mute: silence; music: the music (looped by `-stream_loop -1` on its input, cut to length,
 * faded out) mixed under the clips' audio at the two volumes. `clipAudio` and `musicAudio` are input pads
 * (e.g. "0:a", "1:a"); `musicAudio` is needed only in music mode.
 */
export function audioGraph(
  audio: Pick<AudioSettings, 'mode' | 'musicVolume' | 'clipVolume'>,
  samples: number,
  pads: { clipAudio: string; musicAudio?: string; out: string },
): string {
  const trim = `apad,atrim=end_sample=${samples},asetpts=N/SR/TB`;
  if (audio.mode === 'mute') return `anullsrc=r=${AUDIO_RATE}:cl=stereo,${trim}[${pads.out}]`;
  if (audio.mode === 'keep' || !pads.musicAudio) return `[${pads.clipAudio}]${FORMAT},${trim}[${pads.out}]`;
  const seconds = samples / AUDIO_RATE;
  const fade = Math.min(MUSIC_FADE_SECONDS, seconds / 4);
  const fadeStart = Math.max(0, seconds - fade);
  const c = `${pads.out}_clip`;
  const m = `${pads.out}_music`;
  return (
    `[${pads.clipAudio}]${FORMAT},volume=${num(audio.clipVolume)},${trim}[${c}];` +
    `[${pads.musicAudio}]aresample=${AUDIO_RATE},${FORMAT},volume=${num(audio.musicVolume)},${trim},` +
    `afade=t=out:st=${num(fadeStart)}:d=${num(fade)}[${m}];` +
    // normalize=0: amix would otherwise halve both inputs; the volumes are the user's.
    `[${c}][${m}]amix=inputs=2:duration=first:dropout_transition=0:normalize=0,${trim}[${pads.out}]`
  );
}

/** Numbers in filter arguments: short, no exponent. */
export function num(value: number): string {
  return Number(value.toFixed(6)).toString();
}
