import { assembleArgs } from '../assemble-args.ts';
import type { Prepared } from '../prepare.ts';
import type { RenderStrategy } from './types.ts';

/** Same audio treatment, so several outputs can share one assembly process. */
function audioKey(item: Prepared): string {
  const { audio } = item.spec.settings;
  return JSON.stringify([audio.mode, audio.musicPath, audio.musicVolume, audio.clipVolume]);
}

/**
 * fast: the normalised clips (text burned in) are the delivered video; outputs are stream-copied together, several
 * per FFmpeg process, so an output costs little more than its audio encode.
 */
export const fastStrategy: RenderStrategy = {
  name: 'fast',
  batchSize: (configured) => Math.max(1, configured),
  canShareProcess: (a, b) => b.strategy === fastStrategy && audioKey(a) === audioKey(b),
  sharesAudio: true,
  burnsTextIntoIntermediates: true,
  outputFrames: (frames) => frames,
  async command(ready, { audio }) {
    return {
      args: assembleArgs(
        ready.map((r) => r.job),
        audio,
      ),
      durations: ready.map(({ item }) => item.frames / item.profile.fps),
    };
  },
  manifestFields: () => ({}),
};
