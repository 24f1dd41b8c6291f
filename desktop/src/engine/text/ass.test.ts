import { DEFAULT_CAPTION_STYLE, DEFAULT_HEADLINE_STYLE } from '@vmp/shared';
import { describe, expect, it } from 'vitest';
import { assColour, assText, assTime, buildAss, clipEvents } from './ass.ts';
import { SAFE_ZONES, wrapText } from './layout.ts';
import { clipTextFor, filterValue, textKey } from './overlay.ts';

const canvas = { format: '9:16' as const, width: 1080, height: 1920 };

describe('ASS script', () => {
  it('converts colours, times and text', () => {
    expect(assColour('#FF8000')).toBe('&H000080FF');
    expect(assColour('#000000', 0x80)).toBe('&H80000000');
    expect(assTime(3723.456)).toBe('1:02:03.46');
    expect(assText(['a {\\b1}x', 'b\\N'])).toBe('a \\{\\\u2060b1\\}x\\Nb\\\u2060N');
  });

  it('keeps 9:16 text clear of the bottom 20 % and right 15 %, captions above the watermark', () => {
    const ass = buildAss({
      canvas,
      captionStyle: DEFAULT_CAPTION_STYLE,
      headlineStyle: DEFAULT_HEADLINE_STYLE,
      events: clipEvents({ captions: [{ start: 1, end: 2, text: 'Hi' }], headline: 'Top', watermark: 'WM' }, 3),
    });
    const style = (name: string) =>
      ass
        .split('\n')
        .find((l) => l.startsWith(`Style: ${name},`))!
        .split(',');
    const [caption, headline, watermark] = [style('Caption'), style('Headline'), style('Watermark')];
    // Alignment, MarginL, MarginR, MarginV are fields 18–21.
    expect(caption.slice(18, 21)).toEqual(['2', '65', '162']);
    expect(Number(caption[21])).toBeGreaterThan(0.2 * 1920 + Number(watermark[2]));
    expect(headline[18]).toBe('8');
    expect(Number(headline[21])).toBe(0.1 * 1920);
    expect(watermark[18]).toBe('1');
    expect(Number(watermark[21])).toBe(0.2 * 1920);
    expect(ass).toContain('Dialogue: 0,0:00:01.00,0:00:02.00,Caption,,0,0,0,,Hi');
    expect(ass).toContain('Dialogue: 1,0:00:00.00,0:00:03.00,Headline,,0,0,0,,Top');
    expect(SAFE_ZONES['9:16']).toMatchObject({ bottom: 0.2, right: 0.15 });
  });

  it('maps clip times onto an output timeline (offset, speed) and cuts at the clip end', () => {
    const events = clipEvents(
      { captions: [{ start: 1, end: 9, text: 'x' }], headline: null, watermark: null },
      2,
      4,
      2,
    );
    expect(events).toEqual([{ kind: 'caption', start: 2.5, end: 3, text: 'x' }]);
  });

  it('wraps long lines at spaces, and CJK between characters', () => {
    const lines = wrapText('This caption is far too long to fit on one line of a phone screen', 60, 700);
    expect(lines.length).toBeGreaterThan(1);
    expect(lines.join(' ')).toBe('This caption is far too long to fit on one line of a phone screen');
    const cjk = wrapText('这是一个非常长的中文字幕需要换行显示在手机屏幕上', 60, 500);
    expect(cjk.length).toBeGreaterThan(1);
    expect(cjk.join('')).toBe('这是一个非常长的中文字幕需要换行显示在手机屏幕上');
    expect(wrapText('short', 60, 700)).toEqual(['short']);
  });
});

describe('text cache key and filter', () => {
  const settings = { captionStyle: DEFAULT_CAPTION_STYLE, headlineStyle: DEFAULT_HEADLINE_STYLE, watermark: null };
  it('is undefined without text, and changes with text, style and watermark', () => {
    expect(clipTextFor(undefined, null, settings)).toBeUndefined();
    const a = clipTextFor(undefined, 'One', settings)!;
    const keys = new Set([
      textKey(a),
      textKey(clipTextFor(undefined, 'Two', settings)!),
      textKey(clipTextFor(undefined, 'One', { ...settings, headlineStyle: { ...DEFAULT_HEADLINE_STYLE, size: 8 } })!),
      textKey(clipTextFor(undefined, 'One', { ...settings, watermark: 'W' })!),
      textKey(clipTextFor([{ start: 0, end: 1, text: 'c' }], 'One', settings)!),
    ]);
    expect(keys.size).toBe(5);
    // A caption style change does not touch a clip drawn without captions.
    expect(
      textKey(clipTextFor(undefined, 'One', { ...settings, captionStyle: { ...DEFAULT_CAPTION_STYLE, size: 9 } })!),
    ).toBe(textKey(a));
  });

  it('escapes paths for -filter_complex', () => {
    expect(filterValue("/a b/it's:x,[1];")).toBe("/a b/it\\\\\\'s\\\\:x\\,\\[1\\]\\;");
  });
});
