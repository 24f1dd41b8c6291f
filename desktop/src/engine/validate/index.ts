export { type AnalyseOptions, analyseClip, analyseClips, type ClipAnalysis, checkDecodes } from './analyse.ts';
export {
  DEFAULT_LIMITS as DEFAULT_VALIDATION_LIMITS,
  type DecodeCheck,
  type Evidence,
  type ProbeResult,
  sniffContainer,
  type ValidationLimits,
  validateMedia,
} from './validate.ts';
