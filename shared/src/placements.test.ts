import { describe, expect, it } from 'vitest';
import {
  FORMAT_SAFE_ZONES,
  PLACEMENT_NAMES,
  PLACEMENTS,
  parsePlacements,
  safeZoneFor,
  UnknownPlacementError,
} from './placements.ts';

describe('placements', () => {
  it('gives each placement the canvas the issue names', () => {
    const canvas = Object.fromEntries(
      PLACEMENT_NAMES.map((n) => [n, `${PLACEMENTS[n].width}x${PLACEMENTS[n].height}`]),
    );
    expect(canvas).toEqual({
      tiktok: '1080x1920',
      reels: '1080x1920',
      shorts: '1080x1920',
      'feed-4x5': '1080x1350',
      'feed-1x1': '1080x1080',
      'youtube-16x9': '1920x1080',
    });
  });

  it('keeps Meta’s Reels zone: 14 % top, 35 % bottom, 6 % each side', () => {
    expect(PLACEMENTS.reels.safeZone).toEqual({ top: 0.14, bottom: 0.35, left: 0.06, right: 0.06 });
    expect(PLACEMENTS.reels.loudness).toEqual({ integrated: -14, tolerance: 1, truePeak: -1 });
    expect(PLACEMENTS.reels.encoding).toMatchObject({ profile: 'High', pixFmt: 'yuv420p', sampleRate: 48000 });
  });

  it('makes the plain 9:16 zone clear of every 9:16 placement’s overlays', () => {
    const plain = FORMAT_SAFE_ZONES['9:16'];
    for (const p of Object.values(PLACEMENTS).filter((p) => p.format === '9:16')) {
      for (const side of ['top', 'bottom', 'left', 'right'] as const) {
        expect(plain[side], `${p.name} ${side}`).toBeGreaterThanOrEqual(p.safeZone[side]);
      }
    }
    expect(safeZoneFor(null, '9:16')).toBe(plain);
    expect(safeZoneFor('tiktok', '9:16')).toBe(PLACEMENTS.tiktok.safeZone);
  });

  it('parses a comma list, forgiving case and spaces, dropping repeats', () => {
    expect(parsePlacements('Reels, feed-4x5,reels')).toEqual(['reels', 'feed-4x5']);
  });

  it('refuses an unknown name, naming it and listing the valid ones', () => {
    let error: unknown;
    try {
      parsePlacements('reels,instagram');
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(UnknownPlacementError);
    expect((error as UnknownPlacementError).code).toBe('UNKNOWN_PLACEMENT');
    expect((error as Error).message).toBe(
      'Unknown placement "instagram". Use one of: tiktok, reels, shorts, feed-4x5, feed-1x1, youtube-16x9.',
    );
    expect(() => parsePlacements(' , ')).toThrow(UnknownPlacementError);
  });
});
