import { describe, expect, it } from 'vitest';
import {
  dedupeFileNames,
  normaliseFileName,
  outputFileName,
  outputSeed,
  sanitizeFileName,
  shortClipName,
} from './naming.ts';

const fields = { project: 'Summer Sale', index: 6, total: 64, clipNames: ['intro', 'shoe'], seed: 42, format: '9:16' };

describe('naming', () => {
  it('expands the default template with a zero-padded index', () => {
    expect(outputFileName(undefined, fields)).toBe('Summer Sale-007-intro_shoe.mp4');
    expect(outputFileName('{project}-{index}', { ...fields, total: 12_000 })).toBe('Summer Sale-00007.mp4');
  });

  it('fills {seed} and {format} and leaves unknown placeholders visible', () => {
    expect(outputFileName('{format}_{seed}_{nope}', fields)).toBe('9x16_42_{nope}.mp4');
  });

  it('sanitises for every OS', () => {
    expect(sanitizeFileName('a/b\\c:d*e?f"g<h>i|j')).toBe('a-b-c-d-e-f-g-h-i-j');
    expect(sanitizeFileName('tab\there\u0001')).toBe('tab here-');
    expect(sanitizeFileName('  trailing dots... ')).toBe('trailing dots');
    expect(sanitizeFileName('CON')).toBe('_CON');
    expect(sanitizeFileName('lpt1.final')).toBe('_lpt1.final');
    expect(sanitizeFileName('///')).toBe('-');
    expect(sanitizeFileName('')).toBe('output');
    expect(sanitizeFileName('é'.repeat(300))).toHaveLength(120);
  });

  it('caps long names from many clips', () => {
    const name = outputFileName(undefined, {
      ...fields,
      clipNames: Array.from({ length: 20 }, () => 'a-very-long-clip'),
    });
    expect(name.length).toBeLessThanOrEqual(124);
    expect(name.endsWith('.mp4')).toBe(true);
  });

  it('de-duplicates case-insensitively, also against taken names', () => {
    expect(dedupeFileNames(['a.mp4', 'A.mp4', 'a.mp4', 'b.mp4'], ['b.mp4'])).toEqual([
      'a.mp4',
      'A-2.mp4',
      'a-3.mp4',
      'b-2.mp4',
    ]);
  });

  it('short clip names are file stems', () => {
    expect(shortClipName('/x/y/My Holiday Clip Number 12.MOV')).toBe('My Holiday Clip ');
    expect(normaliseFileName('out')).toBe('out.mp4');
    expect(normaliseFileName('out.MP4')).toBe('out.mp4');
  });

  it('derives distinct, stable per-output seeds', () => {
    const seeds = new Set(Array.from({ length: 1000 }, (_, i) => outputSeed(1, i)));
    expect(seeds.size).toBe(1000);
    expect(outputSeed(7, 3)).toBe(outputSeed(7, 3));
    expect(outputSeed(7, 3)).not.toBe(outputSeed(8, 3));
  });
});
