export {
  dbToLinear,
  type LoudnessPlan,
  loudnessChain,
  loudnessPlan,
  NO_CHANGE,
  refinePlan,
  TARGET_LUFS,
  TRUE_PEAK_CEILING,
} from './gain.ts';
export { type LoudnessStats, measureArgs, measureLoudness, parseEbur128 } from './measure.ts';
export { type LoudnessEntry, LoudnessStore } from './store.ts';
