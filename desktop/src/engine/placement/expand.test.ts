import { type Combination, RenderSettings } from '@vmp/shared';
import { describe, expect, it } from 'vitest';
import { TextDoesNotFitError } from '../text/layout.ts';
import { expandPlacements, placementSettings } from './expand.ts';

const combos: Combination[] = [
  { index: 0, clipIds: ['a', 'x'], headlines: ['Stop scrolling', null] },
  { index: 1, clipIds: ['b', 'x'], headlines: ['Stop scrolling', null] },
];
const lengths: Record<string, number> = { a: 20, b: 50, x: 15 };
const durationOf = (c: Combination) => c.clipIds.reduce((s, id) => s + lengths[id]!, 0);

describe('placements in a plan', () => {
  it('makes every combination once per placement, side by side, re-indexed, each knowing its ad', () => {
    const settings = RenderSettings.parse({ placements: ['reels', 'feed-4x5'] });
    const { combinations, skipped } = expandPlacements(combos.slice(0, 1), settings, durationOf);
    expect(skipped).toEqual([]);
    expect(combinations.map((c) => [c.index, c.ad, c.placement])).toEqual([
      [0, 0, 'reels'],
      [1, 0, 'feed-4x5'],
    ]);
    expect(placementSettings(settings, 'feed-4x5')).toMatchObject({ format: '4:5', fps: 30 });
    expect(placementSettings(settings, undefined)).toBe(settings);
  });

  it('skips a combination longer than a placement plays, with a warning naming it, and keeps it elsewhere', () => {
    const settings = RenderSettings.parse({ placements: ['tiktok', 'feed-1x1'] });
    const { combinations, skipped } = expandPlacements(combos, settings, durationOf);
    expect(combinations.map((c) => `${c.ad}:${c.placement}`)).toEqual(['0:tiktok', '0:feed-1x1', '1:feed-1x1']);
    expect(skipped).toEqual([
      {
        ad: 1,
        placement: 'tiktok',
        duration: 65,
        limit: 60,
        message: 'Output 2 runs 65.0 s; TikTok (In-Feed) plays at most 60 s, so it is not made for tiktok.',
      },
    ]);
  });

  it('refuses a headline that cannot fit a chosen placement before anything renders, naming it', () => {
    const long = 'www.example.com/spring-sale-on-every-single-item-in-the-whole-shop-today';
    const settings = RenderSettings.parse({ placements: ['reels'] });
    const withLong = [{ ...combos[0]!, headlines: [long, null] }];
    expect(() => expandPlacements(withLong, settings, durationOf)).toThrow(TextDoesNotFitError);
    expect(() => expandPlacements(withLong, settings, durationOf)).toThrow(`"${long}" does not fit the Reels`);
  });

  it('leaves a plan without placements as it was', () => {
    const { combinations } = expandPlacements(combos, RenderSettings.parse({}), durationOf);
    expect(combinations).toEqual(combos);
  });
});
