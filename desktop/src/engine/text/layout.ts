import type { OutputFormat, TextStyle } from '@vmp/shared';

/** Fractions of the canvas kept clear of text on each side: where the platforms draw buttons, captions, names. */
export interface SafeZone {
  top: number;
  bottom: number;
  left: number;
  right: number;
}

/**
 * 9:16 (Reels, TikTok, Shorts): the bottom ~20 % holds the caption and audio line, the right ~15 % the like /
 * comment / share column, the top the tabs. Feed formats have small overlays only.
 */
export const SAFE_ZONES: Record<OutputFormat, SafeZone> = {
  '9:16': { top: 0.1, bottom: 0.2, left: 0.06, right: 0.15 },
  '4:5': { top: 0.06, bottom: 0.1, left: 0.06, right: 0.06 },
  '1:1': { top: 0.06, bottom: 0.08, left: 0.06, right: 0.06 },
  '16:9': { top: 0.06, bottom: 0.1, left: 0.05, right: 0.05 },
};

export interface Canvas {
  format: OutputFormat;
  width: number;
  height: number;
}

/** Pixel size of text in this style (the ASS Fontsize, i.e. line height) on this canvas. */
export function fontPixels(style: Pick<TextStyle, 'size'>, canvas: Canvas): number {
  return Math.max(16, Math.round((style.size / 100) * canvas.width));
}

/** Watermark: small but legible on a phone. */
export function watermarkPixels(canvas: Canvas): number {
  return Math.max(18, Math.round(0.026 * canvas.width));
}

// Full-width scripts: CJK ideographs, kana, Hangul, full-width forms. Lines may break between any two of them.
const WIDE =
  /[\u1100-\u11ff\u2e80-\u303f\u3040-\u30ff\u3100-\u31ff\u3200-\u9fff\uac00-\ud7af\uf900-\ufaff\uff00-\uff60]/u;

/**
 * Estimated advance of a character as a fraction of the font size. A little above bold Noto Sans's averages (measured on
 * rendered frames), so a wrapped line fits; libass still wraps at spaces if one does not.
 */
function advance(ch: string): number {
  if (WIDE.test(ch)) return 0.75;
  if (ch === ' ') return 0.22;
  if (/[A-Z0-9MWmw@%]/.test(ch)) return 0.55;
  return 0.42;
}

/**
 * Greedy wrap to `maxWidth` pixels at `fontSize`: breaks at spaces, and between full-width (CJK) characters, which
 * libass alone would not do; a word longer than a line is cut. Existing line breaks are kept.
 */
export function wrapText(text: string, fontSize: number, maxWidth: number): string[] {
  const limit = maxWidth / fontSize;
  const out: string[] = [];
  for (const paragraph of text.split('\n')) {
    let line = '';
    let width = 0;
    // Tokens: runs of non-space non-wide characters, single wide characters, and single spaces.
    const tokens = paragraph.match(new RegExp(`${WIDE.source}|\\s|[^\\s${WIDE.source.slice(1, -1)}]+`, 'gu')) ?? [];
    for (const token of tokens) {
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
        // One word wider than the line: cut it character by character.
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
  }
  return out;
}
