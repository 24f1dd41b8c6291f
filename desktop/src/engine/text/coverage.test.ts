import { describe, expect, it } from 'vitest';
import { glyphWarnings, missingGlyphs } from './coverage.ts';

describe('glyph coverage of the bundled fonts', () => {
  it('finds no gap in Latin, Arabic, Chinese or emoji (with joiners and variation selectors)', () => {
    expect(missingGlyphs('Sale {50%} — café')).toEqual([]);
    expect(missingGlyphs('تخفيضات 这是中文')).toEqual([]);
    expect(
      missingGlyphs('Hot \u{1F525} \u2764\uFE0F \u{1F44D}\u{1F3FD} \u{1F468}\u200D\u{1F469}\u200D\u{1F467}'),
    ).toEqual([]);
  });

  it('names each character no bundled font has, once', () => {
    expect(missingGlyphs('x \uE000 y \uE000 \u{10348}')).toEqual(['\uE000', '\u{10348}']);
  });

  it('warns naming the text and the characters', () => {
    expect(
      glyphWarnings([
        { where: 'Headline', text: 'Fine \u{1F525}' },
        { where: 'Caption of "talk.mp4" at 0:01.000', text: 'Gothic \u{10348} here' },
      ]),
    ).toEqual([
      'Caption of "talk.mp4" at 0:01.000, "Gothic \u{10348} here": \u{10348} (U+10348) is in none of the bundled fonts and would show as an empty box. Remove or replace it.',
    ]);
  });
});
