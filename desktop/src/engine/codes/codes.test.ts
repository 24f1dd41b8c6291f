import { describe, expect, it } from 'vitest';
import { adCodesFor, adIdOf, asciiName, assignCodes, componentKeys, cutAtWord, groupPrefixes } from './index.ts';

describe('component codes', () => {
  it('takes the group letter from the name, G1, G2… when the name gives none', () => {
    expect(groupPrefixes(['Hook', 'Body', 'Call to action'])).toEqual(['H', 'B', 'C']);
    expect(groupPrefixes(['Hooks', 'Intro', 'CTA', 'Outro', 'bodies'])).toEqual(['H', 'G1', 'C', 'G2', 'B']);
    expect(groupPrefixes(['call-to-action', 'Hookline'])).toEqual(['C', 'G1']);
    expect(groupPrefixes(['1-hook', '02_body', '3 CTA', '10-outro'])).toEqual(['H', 'B', 'C', 'G1']);
  });

  it('numbers clips per letter, headlines T1…, and keeps every code for good', () => {
    const first = assignCodes(
      'manual',
      [
        { name: 'Hook', clips: ['h1', 'h2'], headlines: ['Stop scrolling'] },
        { name: 'Body', clips: ['b1'] },
        { name: 'Outro', clips: ['o1'] },
      ],
      [],
    );
    expect(first.book.clips).toEqual([{ h1: 'H1', h2: 'H2' }, { b1: 'B1' }, { o1: 'G1.1' }]);
    expect(first.book.headlines).toEqual({ 'Stop scrolling': 'T1' });
    // h1 removed, h3 added, h2 kept: H1 is not handed out again, h2 keeps H2.
    const second = assignCodes(
      'manual',
      [
        { name: 'Hook', clips: ['h2', 'h3'], headlines: ['Wait', 'Stop scrolling'] },
        { name: 'Body', clips: ['b1'] },
        { name: 'Outro', clips: ['o1', 'o2'] },
      ],
      first.added,
    );
    expect(second.book.clips).toEqual([{ h2: 'H2', h3: 'H3' }, { b1: 'B1' }, { o1: 'G1.1', o2: 'G1.2' }]);
    expect(second.book.headlines).toEqual({ Wait: 'T2', 'Stop scrolling': 'T1' });
    expect(second.added.map((r) => r.code)).toEqual(['H3', 'G1.2', 'T2']);
    // An edited code (H2 renamed H9 by the user) stays, and the next new hook numbers after it.
    const edited = first.added.map((r) => (r.code === 'H2' ? { ...r, code: 'H9' } : r));
    const third = assignCodes('manual', [{ name: 'Hook', clips: ['h2', 'h4'] }], edited);
    expect(third.book.clips[0]).toEqual({ h2: 'H9', h4: 'H10' });
  });

  it('names an ad by its codes in group order, headline last, with one adId per combination', () => {
    const { book } = assignCodes(
      'manual',
      [
        { name: 'Hook', clips: ['h1', 'h2', 'h3'], headlines: ['A', 'B'] },
        { name: 'Body', clips: ['b1'] },
        { name: 'CTA', clips: ['c1', 'c2'] },
      ],
      [],
    );
    const ad = adCodesFor(book, ['h3', 'b1', 'c2'], ['A', null, null]);
    expect(ad).toEqual({
      components: { Hook: 'H3', Body: 'B1', CTA: 'C2', headline: 'T1' },
      adName: 'H3-B1-C2-T1',
      adId: adIdOf('H3-B1-C2-T1'),
    });
    expect(ad?.adId).toMatch(/^ad[0-9a-z]{10}$/);
    expect(adIdOf('H3-B1-C2-T1')).toBe(adIdOf('H3-B1-C2-T1'));
    expect(adIdOf('H3-B1-C2-T2')).not.toBe(adIdOf('H3-B1-C2-T1'));
    expect(adCodesFor(book, ['h1', 'b1', 'c1'])?.adName).toBe('H1-B1-C1');
    expect(adCodesFor(book, ['unknown', 'b1', 'c1'])).toBeNull();
    expect(componentKeys(['Body', 'body', 'Headline'])).toEqual(['Body', 'body (2)', 'Headline (group)']);
  });

  it('auto mode: K codes, components by position', () => {
    const { book } = assignCodes('auto', [{ name: 'Clips', clips: ['x', 'y', 'z'] }], []);
    expect(adCodesFor(book, ['z', 'x'])).toMatchObject({
      components: { 'Clips 1': 'K3', 'Clips 2': 'K1' },
      adName: 'K3-K1',
    });
  });

  it('ASCII names: accents dropped, no spaces, never cut inside a word', () => {
    expect(asciiName('Café Summer sale / 2026')).toBe('Cafe-Summer-sale-2026');
    expect(asciiName('  ünïcode ✓ name  ')).toBe('unicode-name');
    expect(cutAtWord('alpha-beta-gamma', 12)).toBe('alpha-beta');
    expect(cutAtWord('alpha-beta-gamma', 10)).toBe('alpha-beta');
    expect(cutAtWord('alpha-beta-gamma', 9)).toBe('alpha');
    expect(asciiName('whole drama, really', 14)).toBe('whole-drama');
  });
});
