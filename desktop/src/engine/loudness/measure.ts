import { basename } from 'node:path';
import { runFfmpeg } from '../ffmpeg/run.ts';
import { AUDIO_RATE } from '../profiles/profile.ts';

/** EBU R128 figures of one audio stream, as FFmpeg's ebur128 filter reports them. */
export interface LoudnessStats {
  /** Integrated loudness, LUFS; −70 (the gate) for silence. */
  integrated: number;
  /** True peak, dBTP; null for digital silence (−inf). */
  truePeak: number | null;
}

/**
 * ffmpeg arguments measuring the first audio stream exactly as normalisation hands it on (48 kHz stereo: a 5.1
 * downmix or a mono upmix changes loudness), so the gain computed from it is right for the intermediate.
 * `treat` (a loudness chain) measures the clip as it would come out. `-loglevel info` because ebur128 prints its summary at that level; per-frame lines go to verbose.
 */
export function measureArgs(input: string, treat = ''): string[] {
  return [
    '-loglevel',
    'info',
    '-nostats',
    '-i',
    input,
    '-map',
    '0:a:0',
    '-af',
    `aresample=${AUDIO_RATE},aformat=sample_fmts=flt:sample_rates=${AUDIO_RATE}:channel_layouts=stereo,` +
      `${treat}ebur128=peak=true:framelog=verbose`,
    '-f',
    'null',
    '-',
  ];
}

/** Reads ebur128's summary (the last one in the log). Throws when there is none. */
export function parseEbur128(log: string): LoudnessStats {
  const summary = log.slice(log.lastIndexOf('Summary:'));
  const integrated = /\bI:\s*(-?[\d.]+|-inf)\s*LUFS/.exec(summary)?.[1];
  const peak = /\bPeak:\s*(-?[\d.]+|-inf)\s*dBFS/.exec(summary)?.[1];
  if (!log.includes('Summary:') || integrated === undefined) {
    throw new Error('FFmpeg printed no loudness summary');
  }
  const value = Number(integrated);
  return {
    integrated: Number.isFinite(value) ? value : -70,
    truePeak: peak === undefined || peak === '-inf' || !Number.isFinite(Number(peak)) ? null : Number(peak),
  };
}

/** Measures a file's first audio stream (one decode of the audio only). */
export async function measureLoudness(
  input: string,
  options: { signal?: AbortSignal; treat?: string } = {},
): Promise<LoudnessStats> {
  const { stderr } = await runFfmpeg(measureArgs(input, options.treat), {
    ...(options.signal ? { signal: options.signal } : {}),
    label: `Measuring the loudness of ${basename(input)}`,
    captureStdout: false,
  });
  return parseEbur128(stderr);
}
