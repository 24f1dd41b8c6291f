import { FORMAT_SAFE_ZONES, type OutputFormat, type SafeZone, type TextStyle } from '@vmp/shared';
import { ValidationError } from '@vmp/shared/errors';

export type { SafeZone } from '@vmp/shared';

/** The plain formats' zones (no placement chosen). A placement's own zone comes with its ClipText. */
export const SAFE_ZONES: Record<OutputFormat, SafeZone> = FORMAT_SAFE_ZONES;

export interface Canvas {
  format: OutputFormat;
  width: number;
  height: number;
}

/** Smallest text the layout shrinks a headline to (percent of canvas width, like TextStyle.size): ~38 px at 1080. */
export const MIN_TEXT_SIZE = 3.5;
/** Share of the zone's height a headline may take (the rest is the picture and the captions). */
export const HEADLINE_MAX_SHARE = 0.35;
/** Share of the zone's height captions may take. */
export const CAPTION_MAX_SHARE = 0.4;

/** Pixel size of text in this style (the ASS Fontsize, i.e. line height) on this canvas. */
export function fontPixels(style: Pick<TextStyle, 'size'>, canvas: Pick<Canvas, 'width'>): number {
  return Math.max(16, Math.round((style.size / 100) * canvas.width));
}

/** Watermark: small but legible on a phone. */
export function watermarkPixels(canvas: Pick<Canvas, 'width'>): number {
  return Math.max(18, Math.round(0.026 * canvas.width));
}

/** Padding of a text box around its lines, and the outline's reach without one, in pixels for a font size. */
export function boxPadding(fontSize: number): number {
  return Math.round(fontSize * 0.22);
}
export function outlineReach(fontSize: number): number {
  return Math.max(2, Math.round(fontSize * 0.08)) + Math.max(1, Math.round(fontSize * 0.04));
}

// Full-width scripts: CJK ideographs, kana, Hangul, full-width forms. Lines may break between any two of them.
const WIDE =
  /[\u1100-\u11ff\u2e80-\u303f\u3040-\u30ff\u3100-\u31ff\u3200-\u9fff\uac00-\ud7af\uf900-\ufaff\uff00-\uff60]/u;
const TOKENS = new RegExp(`${WIDE.source}|\\s|[^\\s${WIDE.source.slice(1, -1)}]+`, 'gu');

/**
 * Estimated advance of a character as a fraction of the font size. A little above bold Noto Sans's averages (measured on
 * rendered frames), so a line drawn is never wider than the engine's box for it.
 */
function advance(ch: string): number {
  if (WIDE.test(ch)) return 0.75;
  if (ch === ' ') return 0.22;
  if (/[A-Z0-9MWmw@%]/.test(ch)) return 0.55;
  return 0.42;
}

/** Estimated width in pixels of one line at `fontSize`. */
export function lineWidth(line: string, fontSize: number): number {
  return Array.from(line).reduce((sum, ch) => sum + advance(ch), 0) * fontSize;
}

/**
 * Greedy wrap of one paragraph to `limit` (in font sizes). `cut`: a word longer than a line is cut character by
 * character; without it such a word makes the wrap fail (null).
 */
function greedy(paragraph: string, limit: number, cut: boolean): string[] | null {
  const out: string[] = [];
  let line = '';
  let width = 0;
  for (const token of paragraph.match(TOKENS) ?? []) {
    const w = Array.from(token).reduce((sum, ch) => sum + advance(ch), 0);
    if (/^\s$/.test(token)) {
      if (line) {
        line += ' ';
        width += w;
      }
      continue;
    }
    if (width + w > limit && line.trim()) {
      out.push(line.trimEnd());
      line = '';
      width = 0;
    }
    if (w > limit) {
      if (!cut) return null;
      for (const ch of Array.from(token)) {
        const cw = advance(ch);
        if (width + cw > limit && line) {
          out.push(line);
          line = '';
          width = 0;
        }
        line += ch;
        width += cw;
      }
      continue;
    }
    line += token;
    width += w;
  }
  if (line.trim() || out.length === 0) out.push(line.trimEnd());
  return out;
}

const words = (line: string) => line.split(' ').filter(Boolean).length;

/**
 * Wrap to `maxWidth` pixels, balanced: the narrowest width that still needs as many lines as the greedy wrap, so lines
 * come out even and a last line of one orphan word is avoided where another break allows it. Breaks at spaces and
 * between full-width (CJK) characters (libass alone would not); existing line breaks are kept. Returns null when a
 * word is wider than the line and `cut` is off.
 */
export function wrapLines(text: string, fontSize: number, maxWidth: number, cut = true): string[] | null {
  const limit = maxWidth / fontSize;
  const out: string[] = [];
  for (const paragraph of text.split('\n')) {
    let lines = greedy(paragraph, limit, cut);
    if (!lines) return null;
    if (lines.length > 1) {
      let lo = limit / lines.length;
      let hi = limit;
      let best = lines;
      for (let i = 0; i < 16; i++) {
        const mid = (lo + hi) / 2;
        const tried = greedy(paragraph, mid, false);
        if (tried && tried.length === lines.length) {
          best = tried;
          hi = mid;
        } else lo = mid;
      }
      lines = best;
      // Still an orphan: pull the previous line's last word down when the pair fits.
      const n = lines.length;
      if (words(lines[n - 1]!) === 1 && words(lines[n - 2]!) > 2) {
        const prev = lines[n - 2]!.split(' ');
        const moved = `${prev.pop()} ${lines[n - 1]}`;
        if (lineWidth(moved, 1) <= limit) lines = [...lines.slice(0, n - 2), prev.join(' '), moved];
      }
    }
    out.push(...lines);
  }
  return out;
}

/** Wrap that always succeeds (long words are cut): captions. */
export function wrapText(text: string, fontSize: number, maxWidth: number): string[] {
  return wrapLines(text, fontSize, maxWidth, true) ?? [text];
}

export interface Rect {
  x: number;
  y: number;
  width: number;
  height: number;
}

export type TextKind = 'caption' | 'headline' | 'watermark';

/** One piece of text laid out: its lines, size, where libass anchors it (\an, \pos) and the box its pixels stay in. */
export interface TextBlock {
  kind: TextKind;
  text: string;
  start: number;
  end: number;
  lines: string[];
  fontSize: number;
  /** ASS numpad alignment of `anchor`: 8 top centre, 5 centre, 2 bottom centre, 1 bottom left. */
  align: 1 | 2 | 5 | 8;
  anchor: { x: number; y: number };
  /** Where the glyphs, their outline and any box behind them are drawn (pixels, whole numbers). */
  box: Rect;
  /** true: a single box behind all lines is drawn (headline or caption style with `box`). */
  boxed: boolean;
}

/** A headline (or other text) that cannot fit the placement's safe zone even at the smallest size. */
export class TextDoesNotFitError extends ValidationError {
  override readonly code = 'TEXT_DOES_NOT_FIT';
  constructor(
    readonly text: string,
    readonly where: string,
  ) {
    super(
      `The headline "${text}" does not fit the ${where} safe zone even at the smallest text size: shorten it or split a long word.`,
      { text, where },
    );
    this.name = 'TextDoesNotFitError';
  }
}

interface Fitted {
  lines: string[];
  fontSize: number;
}

/** Zone in pixels. */
export function zoneRect(canvas: Pick<Canvas, 'width' | 'height'>, zone: SafeZone): Rect {
  const x = Math.round(zone.left * canvas.width);
  const y = Math.round(zone.top * canvas.height);
  return {
    x,
    y,
    width: Math.round((1 - zone.right) * canvas.width) - x,
    height: Math.round((1 - zone.bottom) * canvas.height) - y,
  };
}

/**
 * Largest size from the style's down to MIN_TEXT_SIZE at which the text wraps inside `width` into at most `height`
 * pixels. Headlines refuse to cut words (null when nothing fits); captions fall back to the smallest size, cut.
 */
function fit(text: string, style: TextStyle, canvas: Canvas, width: number, height: number, strict: boolean) {
  const sizes: number[] = [];
  for (let s = style.size; s > MIN_TEXT_SIZE; s -= 0.5) sizes.push(s);
  sizes.push(Math.min(style.size, MIN_TEXT_SIZE));
  for (const size of sizes) {
    const fontSize = fontPixels({ size }, canvas);
    const pad = style.box ? boxPadding(fontSize) : outlineReach(fontSize);
    const lines = wrapLines(text, fontSize, width - 2 * pad, false);
    if (lines && lines.length * fontSize + 2 * pad <= height) return { lines, fontSize } satisfies Fitted;
  }
  if (strict) return null;
  const fontSize = fontPixels({ size: sizes[sizes.length - 1]! }, canvas);
  const pad = style.box ? boxPadding(fontSize) : outlineReach(fontSize);
  return { lines: wrapText(text, fontSize, width - 2 * pad), fontSize } satisfies Fitted;
}

/** Throws TextDoesNotFitError when a headline cannot fit the zone at the smallest size (checked before rendering). */
export function assertHeadlineFits(
  text: string,
  style: TextStyle,
  canvas: Canvas,
  zone: SafeZone,
  where: string = canvas.format,
): void {
  const z = zoneRect(canvas, zone);
  if (!fit(text, style, canvas, z.width, z.height * HEADLINE_MAX_SHARE, true))
    throw new TextDoesNotFitError(text, where);
}

export interface LayoutInput {
  canvas: Canvas;
  zone: SafeZone;
  captionStyle: TextStyle;
  headlineStyle: TextStyle;
  events: readonly { kind: TextKind; start: number; end: number; text: string }[];
}

/**
 * Places every event inside the zone: headline at its top, captions at its bottom (above the watermark), both
 * centred and wrapped to the zone's width; the watermark in its bottom-left corner. `middle` centres in the zone.
 */
export function layoutText(input: LayoutInput): TextBlock[] {
  const { canvas } = input;
  const z = zoneRect(canvas, input.zone);
  const wmSize = watermarkPixels(canvas);
  const hasWatermark = input.events.some((e) => e.kind === 'watermark');
  // Captions and headlines at the bottom sit above the watermark's line.
  const bottom = z.y + z.height - (hasWatermark ? Math.round(wmSize * 1.2) + outlineReach(wmSize) : 0);
  const centreX = z.x + z.width / 2;
  return input.events.map((e): TextBlock => {
    if (e.kind === 'watermark') {
      const reach = outlineReach(wmSize);
      const width = Math.ceil(lineWidth(e.text, wmSize)) + 2 * reach;
      const anchor = { x: z.x + reach, y: z.y + z.height - reach };
      const box = { x: z.x, y: anchor.y - wmSize - reach, width: Math.min(width, z.width), height: wmSize + 2 * reach };
      return { ...e, lines: [e.text], fontSize: wmSize, align: 1, anchor, box, boxed: false };
    }
    const style = e.kind === 'headline' ? input.headlineStyle : input.captionStyle;
    const share = e.kind === 'headline' ? HEADLINE_MAX_SHARE : CAPTION_MAX_SHARE;
    const fitted = fit(e.text, style, canvas, z.width, z.height * share, e.kind === 'headline');
    if (!fitted) throw new TextDoesNotFitError(e.text, canvas.format);
    const { lines, fontSize } = fitted;
    const pad = style.box ? boxPadding(fontSize) : outlineReach(fontSize);
    const textWidth = Math.ceil(Math.max(...lines.map((l) => lineWidth(l, fontSize))));
    const width = Math.min(z.width, textWidth + 2 * pad);
    const height = lines.length * fontSize + 2 * pad;
    const x = Math.round(centreX - width / 2);
    let y: number;
    let align: TextBlock['align'];
    if (style.position === 'top') {
      y = z.y;
      align = 8;
    } else if (style.position === 'middle') {
      y = Math.round(z.y + (z.height - height) / 2);
      align = 5;
    } else {
      y = bottom - height;
      align = 2;
    }
    const anchor =
      align === 8
        ? { x: Math.round(centreX), y: y + pad }
        : align === 5
          ? { x: Math.round(centreX), y: Math.round(y + height / 2) }
          : { x: Math.round(centreX), y: y + height - pad };
    return { ...e, lines, fontSize, align, anchor, box: { x, y, width, height }, boxed: style.box };
  });
}

/** true when the rect lies inside the zone (whole pixels, no tolerance). */
export function insideZone(rect: Rect, canvas: Pick<Canvas, 'width' | 'height'>, zone: SafeZone): boolean {
  const z = zoneRect(canvas, zone);
  return (
    rect.x >= z.x && rect.y >= z.y && rect.x + rect.width <= z.x + z.width && rect.y + rect.height <= z.y + z.height
  );
}
