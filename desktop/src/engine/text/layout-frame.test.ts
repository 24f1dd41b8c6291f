import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DEFAULT_CAPTION_STYLE, DEFAULT_HEADLINE_STYLE, PLACEMENTS } from '@vmp/shared';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildAss } from './ass.ts';
import { boundsOf, countIn, drawAss } from './frame.testing.ts';
import { insideZone, layoutText, type Rect } from './layout.ts';

// The engine's boxes compared with what libass really drew (grey canvas: text > 200, the headline's box < 70).
describe('text layout against drawn pixels (real FFmpeg/libass)', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'vmp-layout-'));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  const canvas = { format: '9:16' as const, width: 1080, height: 1920 };
  const bright = (v: number) => v > 200;
  const dark = (v: number) => v < 70;
  const grow = (r: Rect, by: number): Rect => ({
    x: r.x - by,
    y: r.y - by,
    width: r.width + 2 * by,
    height: r.height + 2 * by,
  });
  const contains = (outer: Rect, inner: Rect) =>
    inner.x >= outer.x &&
    inner.y >= outer.y &&
    inner.x + inner.width <= outer.x + outer.width &&
    inner.y + inner.height <= outer.y + outer.height;

  for (const name of ['reels', 'tiktok', 'shorts'] as const) {
    it(`${name}: headline, caption and watermark pixels lie in the engine's boxes, inside the zone; one box behind the headline`, async () => {
      const zone = PLACEMENTS[name].safeZone;
      const input = {
        canvas,
        zone,
        captionStyle: DEFAULT_CAPTION_STYLE,
        headlineStyle: DEFAULT_HEADLINE_STYLE,
        events: [
          { kind: 'headline' as const, start: 0, end: 2, text: 'Stop scrolling: this is the deal of the whole year' },
          { kind: 'caption' as const, start: 0, end: 2, text: 'Our best seller is back in stock for everyone today' },
          { kind: 'watermark' as const, start: 0, end: 2, text: 'VIDEO MIXER PRO UNLICENSED' },
        ],
      };
      const blocks = layoutText(input);
      const frame = await drawAss(join(dir, name), buildAss(input), canvas, 1);
      const [headline, caption, watermark] = blocks as [(typeof blocks)[0], (typeof blocks)[0], (typeof blocks)[0]];
      for (const b of blocks) expect(insideZone(b.box, canvas, zone), `${b.kind} box in zone`).toBe(true);
      expect(headline.lines.length).toBeGreaterThan(1);

      // Every bright pixel belongs to one of the boxes (2 px of anti-aliasing allowed).
      const all = boundsOf(frame, bright)!;
      expect(all).not.toBeNull();
      for (const b of blocks) {
        const drawn = boundsOf(frame, bright, grow(b.box, 6));
        expect(drawn, `${b.kind} drew something`).not.toBeNull();
        expect(contains(grow(b.box, 2), drawn!), `${b.kind} ${JSON.stringify(drawn)} in ${JSON.stringify(b.box)}`).toBe(
          true,
        );
      }
      const outside =
        countIn(frame, bright, { x: 0, y: 0, width: 1080, height: 1920 }) -
        blocks.reduce((n, b) => n + countIn(frame, bright, grow(b.box, 2)), 0);
      expect(outside).toBe(0);

      // The headline's box: one dark rectangle where the engine said, no grey gap between its lines.
      const box = boundsOf(frame, dark, grow(headline.box, 6))!;
      expect(Math.abs(box.x - headline.box.x)).toBeLessThanOrEqual(1);
      expect(Math.abs(box.y - headline.box.y)).toBeLessThanOrEqual(1);
      expect(Math.abs(box.width - headline.box.width)).toBeLessThanOrEqual(2);
      expect(Math.abs(box.height - headline.box.height)).toBeLessThanOrEqual(2);
      const inner = grow(headline.box, -2);
      const grey = countIn(frame, (v) => v >= 70 && v <= 200, inner);
      // Only anti-aliased glyph edges are mid-grey inside the box; a gap between per-line boxes would be a band.
      expect(grey / (inner.width * inner.height)).toBeLessThan(0.08);
      expect(countIn(frame, (v) => v > 120 && v < 136, inner)).toBeLessThan(inner.width);
      void caption;
      void watermark;
    }, 60_000);
  }
});
