import {
  AUDIO_OUTPUT_ARGS,
  AUDIO_RATE,
  fitGraph,
  OUTPUT_CONTAINER_ARGS,
  type Profile,
  videoEncoderArgs,
} from '../../desktop/src/engine/profiles/profile.ts';
import { normaliseAudioChain, normalisePlan } from '../../desktop/src/engine/render/normalise-args.ts';
import type { RenderSource } from '../../desktop/src/engine/render/types.ts';

/** The naive way: one FFmpeg per output, every clip decoded, fitted and re-encoded again, concat filter. */
export function naiveArgs(clips: RenderSource[], profile: Profile, output: string): string[] {
  const inputs = clips.flatMap((c) => ['-i', c.path]);
  const parts: string[] = [];
  clips.forEach((clip, i) => {
    const { frames, samples } = normalisePlan(clip.info, profile);
    parts.push(`[${i}:v:0]setpts=PTS-STARTPTS,fps=${profile.fps},format=yuv420p[in${i}]`);
    parts.push(`${fitGraph(profile, `in${i}`, `fit${i}`)}`);
    parts.push(`[fit${i}]format=yuv420p,tpad=stop_mode=clone:stop_duration=2,trim=end_frame=${frames}[v${i}]`);
    parts.push(
      clip.info.audio
        ? `[${i}:a:0]asetpts=PTS-STARTPTS,${normaliseAudioChain(samples)}[a${i}]`
        : `anullsrc=r=${AUDIO_RATE}:cl=stereo,${normaliseAudioChain(samples)}[a${i}]`,
    );
  });
  const joined = clips.map((_, i) => `[v${i}][a${i}]`).join('');
  parts.push(`${joined}concat=n=${clips.length}:v=1:a=1[v][a]`);
  return [
    ...inputs,
    '-filter_complex',
    parts.join(';'),
    '-map',
    '[v]',
    '-map',
    '[a]',
    ...videoEncoderArgs(profile.fps),
    ...AUDIO_OUTPUT_ARGS,
    ...OUTPUT_CONTAINER_ARGS,
    output,
  ];
}
