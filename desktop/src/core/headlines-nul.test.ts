import { describe, expect, it } from 'vitest';
import { parseHeadlines } from '../engine/text/headlines.ts';
import { checkHeadlines } from './groups.ts';

// A NUL in a headline cut the drawn text short without a word (issue 18, also low): refused, naming the line.
describe('headlines with a NUL character', () => {
  it('headlines.txt: refused, naming the file and line', () => {
    expect(() => parseHeadlines('First\nBuy now\u0000 and save\n', 'hooks/headlines.txt')).toThrow(
      expect.objectContaining({ message: expect.stringMatching(/headlines\.txt.*2.*NUL/s) }),
    );
  });

  it('groups.setHeadlines: refused, naming the index', () => {
    expect(() => checkHeadlines(['ok', 'bad\u0000line'])).toThrow(/headlines\[1\].*NUL/);
  });
});
