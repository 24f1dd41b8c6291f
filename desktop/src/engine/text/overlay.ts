import { createHash } from 'node:crypto';
import type { CaptionCue, RenderSettings, SafeZone, TextStyle } from '@vmp/shared';
import { BUNDLED_FONTS } from './fonts.ts';

/** Bump when the drawing changes (layout, ASS styles, fonts): cached intermediates with text are re-made. */
export const TEXT_VERSION = 2;

/** Everything drawn over one clip in a normalised intermediate. */
export interface ClipText {
  captions: readonly CaptionCue[];
  headline: string | null;
  watermark: string | null;
  captionStyle: TextStyle;
  headlineStyle: TextStyle;
  /** The placement's safe zone the text is laid out in; absent: the plain format's. */
  zone?: SafeZone;
}

/** The text over one clip for these settings, or undefined when there is none (plain intermediate). */
export function clipTextFor(
  captions: readonly CaptionCue[] | undefined,
  headline: string | null | undefined,
  settings: Pick<RenderSettings, 'captionStyle' | 'headlineStyle' | 'watermark'>,
  zone?: SafeZone,
): ClipText | undefined {
  const text: ClipText = {
    captions: captions ?? [],
    headline: headline ?? null,
    watermark: settings.watermark ?? null,
    captionStyle: settings.captionStyle,
    headlineStyle: settings.headlineStyle,
    ...(zone ? { zone } : {}),
  };
  return text.captions.length || text.headline || text.watermark ? text : undefined;
}

/** Cache-key part: the text, its style and the fonts. Equal keys draw identical pixels. */
export function textKey(text: ClipText): string {
  const payload = JSON.stringify({
    v: TEXT_VERSION,
    fonts: BUNDLED_FONTS.map((f) => f.file),
    captions: text.captions.map((c) => [c.start, c.end, c.text]),
    headline: text.headline,
    watermark: text.watermark,
    // Styles only matter for what is drawn with them.
    captionStyle: text.captions.length ? text.captionStyle : null,
    headlineStyle: text.headline ? text.headlineStyle : null,
    // Two placements of one canvas (TikTok, Reels) draw the same text in different places.
    zone: text.zone ?? null,
  });
  return createHash('sha256').update(payload).digest('hex').slice(0, 24);
}

/** Escapes a filter option value for -filter_complex: first the option level, then the graph level. */
export function filterValue(value: string): string {
  const option = value.replace(/[\\':]/g, (c) => `\\${c}`);
  return option.replace(/[\\'[\],;]/g, (c) => `\\${c}`);
}

/** libass drawing an ASS script with only the bundled fonts (see TextFonts.env for the fontconfig side). */
export function subtitlesFilter(assPath: string, fontsDir: string): string {
  return `subtitles=filename=${filterValue(assPath)}:fontsdir=${filterValue(fontsDir)}`;
}
