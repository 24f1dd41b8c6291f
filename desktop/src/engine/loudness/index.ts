export {
  dbToLinear,
  type LoudnessPlan,
  loudnessChain,
  loudnessPlan,
  NO_CHANGE,
  TARGET_LUFS,
  TRUE_PEAK_CEILING,
} from './gain.ts';
export { type LoudnessStats, measureArgs, measureLoudness, parseEbur128 } from './measure.ts';
export { LoudnessStore } from './store.ts';
