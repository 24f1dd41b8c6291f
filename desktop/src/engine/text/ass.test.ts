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

  it('places each event where the layout put it (\\an, \\pos), one box drawing behind a boxed headline', () => {
    const ass = buildAss({
      canvas,
      captionStyle: DEFAULT_CAPTION_STYLE,
      headlineStyle: DEFAULT_HEADLINE_STYLE,
      events: clipEvents({ captions: [{ start: 1, end: 2, text: 'Hi' }], headline: 'Top', watermark: 'WM' }, 3),
    });
    const dialogue = ass.split('\n').filter((l) => l.startsWith('Dialogue:'));
    expect(dialogue).toHaveLength(4);
    expect(dialogue[0]).toMatch(
      /^Dialogue: 1,0:00:01.00,0:00:02.00,Caption,,0,0,0,,\{\\an2\\pos\(\d+,\d+\)\\fs65\}Hi$/,
    );
    expect(dialogue[1]).toMatch(
      /^Dialogue: 2,0:00:00.00,0:00:03.00,Headline,,0,0,0,,\{\\an7\\pos\(\d+,269\)\\bord0\\shad0.*\\p1\}m 0 0 l /,
    );
    expect(dialogue[2]).toMatch(/^Dialogue: 3,.*Headline,,0,0,0,,\{\\an8\\pos\(/);
    expect(dialogue[3]).toMatch(/^Dialogue: 5,.*Watermark,,0,0,0,,\{\\an1\\pos\(/);
    expect(ass).toContain('WrapStyle: 2');
    expect(SAFE_ZONES['9:16']).toMatchObject({ top: 0.14, bottom: 0.35, right: 0.16 });
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
