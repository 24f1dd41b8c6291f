import { DEFAULT_CAPTION_STYLE, DEFAULT_HEADLINE_STYLE, PLACEMENTS } from '@vmp/shared';
import { describe, expect, it } from 'vitest';
import {
  assertHeadlineFits,
  insideZone,
  layoutText,
  lineWidth,
  TextDoesNotFitError,
  wrapLines,
  zoneRect,
} from './layout.ts';

const canvas = { format: '9:16' as const, width: 1080, height: 1920 };
const reels = PLACEMENTS.reels.safeZone;
const styles = { captionStyle: DEFAULT_CAPTION_STYLE, headlineStyle: DEFAULT_HEADLINE_STYLE };

describe('text layout', () => {
  it('keeps the Reels zone: 14 % top, 35 % bottom, 6 % each side', () => {
    expect(zoneRect(canvas, reels)).toEqual({ x: 65, y: 269, width: 950, height: 979 });
  });

  it('puts the headline at the top of the zone, captions at its bottom above the watermark, all inside it', () => {
    const blocks = layoutText({
      canvas,
      zone: reels,
      ...styles,
      events: [
        { kind: 'headline', start: 0, end: 3, text: 'Stop scrolling and watch the whole thing' },
        { kind: 'caption', start: 1, end: 2, text: 'A caption long enough to need two lines on a phone screen' },
        { kind: 'watermark', start: 0, end: 3, text: 'VIDEO MIXER PRO UNLICENSED' },
      ],
    });
    const [headline, caption, watermark] = blocks as [(typeof blocks)[0], (typeof blocks)[0], (typeof blocks)[0]];
    const zone = zoneRect(canvas, reels);
    for (const b of blocks) expect(insideZone(b.box, canvas, reels), b.kind).toBe(true);
    expect(headline.box.y).toBe(zone.y);
    expect(headline.lines.length).toBeGreaterThan(1);
    expect(headline.boxed).toBe(true);
    expect(caption.box.y + caption.box.height).toBeLessThanOrEqual(watermark.box.y);
    expect(watermark.box.y + watermark.box.height).toBeLessThanOrEqual(zone.y + zone.height);
    expect(watermark.box.x).toBe(zone.x);
  });

  it('never leaves one orphan word on the last line when a break allows another', () => {
    // Greedy at this width puts "thing" alone on line 2.
    const text = 'Stop scrolling and watch the whole thing';
    const lines = wrapLines(text, 75, lineWidth('Stop scrolling and watch the whole', 75) + 1)!;
    expect(lines.length).toBe(2);
    expect(lines.join(' ')).toBe(text);
    expect(lines[1]!.split(' ').length).toBeGreaterThan(1);
  });

  it('shrinks a long headline before refusing it, and refuses one that cannot fit at the smallest size, naming it', () => {
    const long = 'This headline says a great deal more than any phone screen can hold at a readable size, '.repeat(8);
    expect(() => assertHeadlineFits('Stop scrolling', DEFAULT_HEADLINE_STYLE, canvas, reels)).not.toThrow();
    expect(() => assertHeadlineFits(long.trim(), DEFAULT_HEADLINE_STYLE, canvas, reels, 'reels')).toThrow(
      TextDoesNotFitError,
    );
    expect(() =>
      assertHeadlineFits(
        'www.example.com/spring-sale-on-every-single-item-in-the-whole-shop-today',
        DEFAULT_HEADLINE_STYLE,
        canvas,
        reels,
      ),
    ).toThrow(
      /"www.example.com\/spring-sale-on-every-single-item-in-the-whole-shop-today" does not fit the 9:16 safe zone/,
    );
    const medium = 'Three lines of headline text are fine when the font shrinks a little to hold them';
    const [block] = layoutText({
      canvas,
      zone: reels,
      ...styles,
      events: [{ kind: 'headline', start: 0, end: 1, text: medium }],
    });
    expect(block!.fontSize).toBeLessThanOrEqual(Math.round(0.07 * 1080));
    expect(insideZone(block!.box, canvas, reels)).toBe(true);
  });
});
