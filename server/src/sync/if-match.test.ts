import { describe, expect, it } from 'vitest';
import { etag, parseIfMatch } from './if-match.ts';

describe('If-Match', () => {
  it('reads plain, quoted and weak versions', () => {
    expect(parseIfMatch('3')).toBe(3);
    expect(parseIfMatch('"12"')).toBe(12);
    expect(parseIfMatch('W/"7"')).toBe(7);
    expect(parseIfMatch(['4'])).toBe(4);
  });
  it('tells absent from malformed', () => {
    expect(parseIfMatch(undefined)).toBeUndefined();
    expect(parseIfMatch('*')).toBeNull();
    expect(parseIfMatch('abc')).toBeNull();
  });
  it('formats ETags that parse back', () => {
    expect(parseIfMatch(etag(9))).toBe(9);
  });
});
