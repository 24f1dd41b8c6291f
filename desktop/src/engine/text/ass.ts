import type { CaptionCue, TextStyle } from '@vmp/shared';
import { type Canvas, fontPixels, SAFE_ZONES, watermarkPixels, wrapText } from './layout.ts';

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

interface Layout {
  alignment: number;
  marginL: number;
  marginR: number;
  marginV: number;
}

/** ASS numpad alignment and margins for a position inside the canvas's safe zone. */
function placement(position: TextStyle['position'], canvas: Canvas, liftBottom: number): Layout {
  const zone = SAFE_ZONES[canvas.format];
  const marginL = Math.round(zone.left * canvas.width);
  const marginR = Math.round(zone.right * canvas.width);
  if (position === 'top') return { alignment: 8, marginL, marginR, marginV: Math.round(zone.top * canvas.height) };
  if (position === 'middle') return { alignment: 5, marginL, marginR, marginV: 0 };
  return { alignment: 2, marginL, marginR, marginV: Math.round(zone.bottom * canvas.height + liftBottom) };
}

function styleLine(name: string, style: TextStyle, canvas: Canvas, liftBottom: number): string {
  const size = fontPixels(style, canvas);
  const place = placement(style.position, canvas, liftBottom);
  // Outline: white on a dark outline and soft shadow. Box: BorderStyle 3 draws an opaque box in the outline colour.
  const border = style.box ? 3 : 1;
  const outline = style.box ? Math.round(size * 0.22) : Math.max(2, Math.round(size * 0.08));
  const shadow = style.box ? 0 : Math.max(1, Math.round(size * 0.04));
  return [
    `Style: ${name}`,
    TEXT_FONT,
    size,
    assColour(style.colour),
    assColour(style.colour),
    assColour(style.outlineColour, style.box ? 0x40 : 0),
    assColour(style.outlineColour, 0x80),
    -1,
    0,
    0,
    0,
    100,
    100,
    0,
    0,
    border,
    outline,
    shadow,
    place.alignment,
    place.marginL,
    place.marginR,
    place.marginV,
    // -1: base direction from the text itself, so right-to-left lines start at the right.
    -1,
  ].join(',');
}

export interface AssInput {
  canvas: Canvas;
  captionStyle: TextStyle;
  headlineStyle: TextStyle;
  events: readonly TextEvent[];
}

/** A complete ASS script drawing the events on a canvas of the output's size (PlayRes = pixels). */
export function buildAss(input: AssInput): string {
  const { canvas } = input;
  const hasWatermark = input.events.some((e) => e.kind === 'watermark');
  const wmSize = watermarkPixels(canvas);
  const lift = hasWatermark ? Math.round(wmSize * 1.6) : 0;
  const zone = SAFE_ZONES[canvas.format];
  const watermark: TextStyle = {
    position: 'lower',
    size: (wmSize / canvas.width) * 100,
    colour: '#FFFFFF',
    outlineColour: '#000000',
    box: false,
  };
  const wmLine = styleLine('Watermark', watermark, canvas, 0).split(',');
  // Bottom-left corner: the right edge of 9:16 is where the platforms put their buttons.
  wmLine[18] = '1';
  const styles = {
    caption: { name: 'Caption', style: input.captionStyle, lift },
    headline: { name: 'Headline', style: input.headlineStyle, lift },
  };
  const width = (style: TextStyle) =>
    canvas.width * (1 - zone.left - zone.right) - 2 * fontPixels(style, canvas) * 0.25;
  const dialogue = input.events.map((e) => {
    const lines =
      e.kind === 'watermark'
        ? [e.text]
        : wrapText(e.text, fontPixels(styles[e.kind].style, canvas), width(styles[e.kind].style));
    const name = e.kind === 'watermark' ? 'Watermark' : styles[e.kind].name;
    // Layers: watermark above all, headline above captions.
    const layer = e.kind === 'watermark' ? 2 : e.kind === 'headline' ? 1 : 0;
    return `Dialogue: ${layer},${assTime(e.start)},${assTime(e.end)},${name},,0,0,0,,${assText(lines)}`;
  });
  return [
    '[Script Info]',
    'ScriptType: v4.00+',
    `PlayResX: ${canvas.width}`,
    `PlayResY: ${canvas.height}`,
    'WrapStyle: 0',
    'ScaledBorderAndShadow: yes',
    'YCbCr Matrix: TV.709',
    '',
    '[V4+ Styles]',
    'Format: Name, Fontname, Fontsize, PrimaryColour, SecondaryColour, OutlineColour, BackColour, Bold, Italic, Underline, StrikeOut, ScaleX, ScaleY, Spacing, Angle, BorderStyle, Outline, Shadow, Alignment, MarginL, MarginR, MarginV, Encoding',
    styleLine(styles.caption.name, styles.caption.style, canvas, lift),
    styleLine(styles.headline.name, styles.headline.style, canvas, lift),
    wmLine.join(','),
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
