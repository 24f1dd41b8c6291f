import type { CaptionCue, TextStyle } from '@vmp/shared';
import { type Canvas, fontPixels, layoutText, SAFE_ZONES, type SafeZone, watermarkPixels } from './layout.ts';

/** Font family every style asks for; glyphs it lacks (Arabic, CJK) come from the other bundled fonts. */
export const TEXT_FONT = 'Noto Sans';

/** One piece of text on the output's timeline, in seconds. */
export interface TextEvent {
  kind: 'caption' | 'headline' | 'watermark';
  start: number;
  end: number;
  text: string;
}

/** #RRGGBB + transparency (0 opaque – 255 invisible) → ASS &HAABBGGRR. */
export function assColour(hex: string, alpha = 0): string {
  const rr = hex.slice(1, 3);
  const gg = hex.slice(3, 5);
  const bb = hex.slice(5, 7);
  return `&H${alpha.toString(16).padStart(2, '0')}${bb}${gg}${rr}`.toUpperCase();
}

/** h:mm:ss.cc, rounded to the centisecond ASS counts in. */
export function assTime(seconds: number): string {
  const cs = Math.max(0, Math.round(seconds * 100));
  const h = Math.floor(cs / 360_000);
  const m = Math.floor(cs / 6000) % 60;
  const s = Math.floor(cs / 100) % 60;
  return `${h}:${String(m).padStart(2, '0')}:${String(s).padStart(2, '0')}.${String(cs % 100).padStart(2, '0')}`;
}

/**
 * Text as ASS dialogue, drawn as typed: a backslash gets a word joiner after it (so \N, \h stay text) and braces are
 * libass's escaped braces \{ \} (never an override block); lines are joined with \N.
 */
export function assText(lines: readonly string[]): string {
  return lines.map((l) => l.replace(/\\/g, '\\\u2060').replace(/[{}]/g, (c) => `\\${c}`)).join('\\N');
}

/** ASS colour override (&HBBGGRR&) and alpha (&HAA&) for `\1c` / `\1a`. */
function overrideColour(hex: string, alpha: number): string {
  const bgr = `${hex.slice(5, 7)}${hex.slice(3, 5)}${hex.slice(1, 3)}`.toUpperCase();
  return `\\1c&H${bgr}&\\1a&H${alpha.toString(16).padStart(2, '0').toUpperCase()}&`;
}

/**
 * A style's font, colours and outline. Position comes from the layout (\an, \pos per line), so margins are 0; a boxed
 * style draws no outline here: the layout's one box behind all its lines is a drawing of its own.
 */
function styleLine(name: string, style: TextStyle, size: number, alignment: number): string {
  const outline = style.box ? 0 : Math.max(2, Math.round(size * 0.08));
  const shadow = style.box ? 0 : Math.max(1, Math.round(size * 0.04));
  return [
    `Style: ${name}`,
    TEXT_FONT,
    size,
    assColour(style.colour),
    assColour(style.colour),
    assColour(style.outlineColour, 0),
    assColour(style.outlineColour, 0x80),
    -1,
    0,
    0,
    0,
    100,
    100,
    0,
    0,
    1,
    outline,
    shadow,
    alignment,
    0,
    0,
    0,
    // -1: base direction from the text itself, so right-to-left lines start at the right.
    -1,
  ].join(',');
}

export interface AssInput {
  canvas: Canvas;
  /** The placement's safe zone; absent: the plain format's. */
  zone?: SafeZone;
  captionStyle: TextStyle;
  headlineStyle: TextStyle;
  events: readonly TextEvent[];
}

const STYLE_NAMES = { caption: 'Caption', headline: 'Headline', watermark: 'Watermark' } as const;
// Layers: box under its text; watermark above all, headline above captions.
const LAYERS = { caption: 0, headline: 2, watermark: 4 } as const;

/** A complete ASS script drawing the events on a canvas of the output's size (PlayRes = pixels), as laid out. */
export function buildAss(input: AssInput): string {
  const { canvas } = input;
  const blocks = layoutText({ ...input, zone: input.zone ?? SAFE_ZONES[canvas.format] });
  const watermark: TextStyle = { position: 'lower', size: 2, colour: '#FFFFFF', outlineColour: '#000000', box: false };
  const styles = { caption: input.captionStyle, headline: input.headlineStyle, watermark };
  const dialogue: string[] = [];
  for (const b of blocks) {
    const style = styles[b.kind];
    const name = STYLE_NAMES[b.kind];
    const [start, end] = [assTime(b.start), assTime(b.end)];
    if (b.boxed) {
      const { x, y, width: w, height: h } = b.box;
      const fill = overrideColour(style.outlineColour, 0x40);
      dialogue.push(
        `Dialogue: ${LAYERS[b.kind]},${start},${end},${name},,0,0,0,,{\\an7\\pos(${x},${y})\\bord0\\shad0${fill}\\p1}m 0 0 l ${w} 0 ${w} ${h} 0 ${h}{\\p0}`,
      );
    }
    const place = `{\\an${b.align}\\pos(${b.anchor.x},${b.anchor.y})\\fs${b.fontSize}}`;
    dialogue.push(`Dialogue: ${LAYERS[b.kind] + 1},${start},${end},${name},,0,0,0,,${place}${assText(b.lines)}`);
  }
  return [
    '[Script Info]',
    'ScriptType: v4.00+',
    `PlayResX: ${canvas.width}`,
    `PlayResY: ${canvas.height}`,
    // 2: no wrapping by libass; the layout wrapped every line to the zone.
    'WrapStyle: 2',
    'ScaledBorderAndShadow: yes',
    'YCbCr Matrix: TV.709',
    '',
    '[V4+ Styles]',
    'Format: Name, Fontname, Fontsize, PrimaryColour, SecondaryColour, OutlineColour, BackColour, Bold, Italic, Underline, StrikeOut, ScaleX, ScaleY, Spacing, Angle, BorderStyle, Outline, Shadow, Alignment, MarginL, MarginR, MarginV, Encoding',
    styleLine(STYLE_NAMES.caption, input.captionStyle, fontPixels(input.captionStyle, canvas), 2),
    styleLine(STYLE_NAMES.headline, input.headlineStyle, fontPixels(input.headlineStyle, canvas), 8),
    styleLine(STYLE_NAMES.watermark, watermark, watermarkPixels(canvas), 1),
    '',
    '[Events]',
    'Format: Layer, Start, End, Style, Name, MarginL, MarginR, MarginV, Effect, Text',
    ...dialogue,
    '',
  ].join('\n');
}

/** A clip's text on the output timeline: captions at their cue times, headline and watermark for the whole clip. */
export function clipEvents(
  text: { captions: readonly CaptionCue[]; headline: string | null; watermark: string | null },
  duration: number,
  offset = 0,
  speed = 1,
): TextEvent[] {
  const at = (t: number) => (offset + Math.min(t, duration)) / speed;
  const events: TextEvent[] = [];
  for (const cue of text.captions) {
    if (cue.start >= duration) continue;
    events.push({ kind: 'caption', start: at(cue.start), end: at(cue.end), text: cue.text });
  }
  if (text.headline) events.push({ kind: 'headline', start: at(0), end: at(duration), text: text.headline });
  if (text.watermark) events.push({ kind: 'watermark', start: at(0), end: at(duration), text: text.watermark });
  return events;
}
