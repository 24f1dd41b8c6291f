export { buildAss, clipEvents, TEXT_FONT, type TextEvent } from './ass.ts';
export { fitCuesToClip, parseCaptions, parseSrt, parseVtt } from './cues.ts';
export { TextFileError } from './errors.ts';
export { bundledFontFiles, prepareFonts, type TextFonts } from './fonts.ts';
export { type HeadlineLine, parseHeadlines } from './headlines.ts';
export {
  assertHeadlineFits,
  insideZone,
  layoutText,
  type Rect,
  SAFE_ZONES,
  type TextBlock,
  TextDoesNotFitError,
  wrapLines,
  wrapText,
  zoneRect,
} from './layout.ts';
export { loadCaptions, loadHeadlines } from './load.ts';
export { type ClipText, clipTextFor, subtitlesFilter, textKey } from './overlay.ts';
