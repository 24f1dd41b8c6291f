import { describe, expect, it } from 'vitest';
import { cueTimeText, headlineLines, parseCueTime } from './text.ts';

describe('headlineLines', () => {
  it('one headline per non-blank line, trimmed', () => {
    expect(headlineLines('  Stop scrolling \n\n\r\nWait for it\n')).toEqual(['Stop scrolling', 'Wait for it']);
    expect(headlineLines('   \n')).toEqual([]);
  });
});

describe('cue times', () => {
  it('shows seconds as m:ss.mmm and reads them back', () => {
    expect(cueTimeText(0)).toBe('0:00.000');
    expect(cueTimeText(61.5)).toBe('1:01.500');
    expect(parseCueTime('1:01.5')).toBe(61.5);
    expect(parseCueTime('0:00.250')).toBe(0.25);
    expect(parseCueTime('2.75')).toBe(2.75);
    expect(parseCueTime('00:01:02,100')).toBeCloseTo(62.1);
  });
  it('refuses what is not a time', () => {
    for (const bad of ['', 'abc', '1:70', '-1', '1:2:3:4']) expect(parseCueTime(bad)).toBeUndefined();
  });
});
