import { normalisePlan } from '../normalise-args.ts';
import { prepareTextFilter } from '../text-overlay.ts';
import { drawVariation, uniqueArgs, variedFrames } from '../unique-args.ts';
import type { RenderStrategy } from './types.ts';

/**
 * unique: every output is re-encoded once with its own micro-variation (speed, zoom, colour, mirror) drawn from its
 * seed, text drawn in that encode; so one output per batch and per FFmpeg process.
 */
export const uniqueStrategy: RenderStrategy = {
  name: 'unique',
  batchSize: () => 1,
  canShareProcess: () => false,
  // Speed variations change the audio's length and pitch per output.
  sharesAudio: false,
  burnsTextIntoIntermediates: false,
  outputFrames: (frames, seed, settings) => variedFrames(frames, drawVariation(seed, settings.variations).speed),
  async command(ready, { cacheDir, audio }) {
    const { item, job } = ready[0]!;
    const variation = drawVariation(item.seed, item.spec.settings.variations);
    const overlay = await prepareTextFilter(
      cacheDir,
      item.profile,
      item.clips.map((clip, k) => ({
        text: item.texts[k],
        duration: normalisePlan(clip.info, item.profile).duration,
      })),
      variation.speed,
    );
    return {
      args: uniqueArgs({
        ...(overlay ? { textFilter: overlay.filter } : {}),
        listFile: job.listFile,
        output: job.output,
        profile: item.profile,
        frames: item.frames,
        variation,
        audio,
        metadata: job.metadata,
        clips: item.clips.map((clip) => normalisePlan(clip.info, item.profile)),
      }),
      durations: [variedFrames(item.frames, variation.speed) / item.profile.fps],
      ...(overlay ? { env: overlay.env } : {}),
    };
  },
  manifestFields: (seed, settings) => ({ variation: drawVariation(seed, settings.variations) }),
};
