import * as fontkit from 'fontkit';
import { bundledFontFiles } from './fonts.ts';

let covered: Set<number> | null = null;

/** Every code point some bundled font has a glyph for (read once per process with fontkit, ~0.3 s). */
function coveredCodePoints(): Set<number> {
  if (!covered) {
    const set = new Set<number>();
    for (const file of bundledFontFiles()) {
      const font = fontkit.openSync(file) as fontkit.Font;
      for (const cp of font.characterSet) set.add(cp);
    }
    covered = set;
  }
  return covered;
}

// Drawn as nothing: spaces, controls, joiners and variation selectors (ZWJ emoji sequences, U+FE0F).
const INVISIBLE = /[\p{White_Space}\p{Cc}\p{Default_Ignorable_Code_Point}]/u;
// Printable ASCII is in Noto Sans: plain text never loads the fonts.
const PLAIN = /^[\x20-\x7e\s]*$/;

/** Characters of `text` that no bundled font has (libass would draw an empty box), each once, in order. */
export function missingGlyphs(text: string): string[] {
  if (PLAIN.test(text)) return [];
  const have = coveredCodePoints();
  const missing = new Set<string>();
  for (const char of text) {
    if (INVISIBLE.test(char)) continue;
    if (!have.has(char.codePointAt(0)!)) missing.add(char);
  }
  return [...missing];
}

const hex = (char: string) => `U+${char.codePointAt(0)!.toString(16).toUpperCase().padStart(4, '0')}`;

/** One warning per text with characters no bundled font has, naming where the text is, the text and the characters. */
export function glyphWarnings(texts: ReadonlyArray<{ where: string; text: string }>): string[] {
  const warnings: string[] = [];
  for (const { where, text } of texts) {
    const missing = missingGlyphs(text);
    if (missing.length === 0) continue;
    const chars = missing.map((c) => `${c} (${hex(c)})`).join(', ');
    const one = missing.length === 1;
    warnings.push(
      `${where}, "${text}": ${chars} ${one ? 'is' : 'are'} in none of the bundled fonts and would show as ${one ? 'an empty box' : 'empty boxes'}. Remove or replace ${one ? 'it' : 'them'}.`,
    );
  }
  return warnings;
}
