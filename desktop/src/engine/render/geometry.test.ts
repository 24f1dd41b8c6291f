import { execFile } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { RenderSettings } from '@vmp/shared';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ffmpegBin } from '../../../test/fixtures/media.ts';
import { contentKey } from '../hash/content-key.ts';
import { probeFile } from '../probe/probe.ts';
import { createRenderer } from './renderer.ts';
import type { Renderer, RenderSource } from './types.ts';

const exec = promisify(execFile);

/**
 * A black clip with a white box that is square ON SCREEN (for an anamorphic source its stored width is narrower),
 * centred. Whatever the fit does, the box must stay square and centred: that catches stretching, a SAR ignored, or
 * a crop taken off-centre.
 */
async function boxClip(dir: string, id: string, w: number, h: number, sar: [number, number], box: number) {
  const path = join(dir, `${id}.mp4`);
  const boxW = Math.round((box * sar[1]) / sar[0]);
  const vf = `drawbox=x=${(w - boxW) / 2}:y=${(h - box) / 2}:w=${boxW}:h=${box}:color=white:t=fill,setsar=${sar[0]}/${sar[1]}`;
  await exec(ffmpegBin(), [
    ...['-v', 'error', '-y', '-f', 'lavfi', '-i', `color=c=black:s=${w}x${h}:r=30:d=0.5`],
    ...['-vf', vf, '-c:v', 'libx264', '-pix_fmt', 'yuv420p', path],
  ]);
  return { id, path, hash: await contentKey(path), info: await probeFile(path) } satisfies RenderSource;
}

/** Bounding box of the bright pixels (luma > 128) in the first frame of a `width`×`height` video. */
async function brightBox(file: string, width: number, height: number) {
  const { stdout } = await exec(
    ffmpegBin(),
    ['-v', 'error', '-i', file, '-frames:v', '1', '-f', 'rawvideo', '-pix_fmt', 'gray', '-'],
    { encoding: 'buffer', maxBuffer: 16 * 1024 * 1024 },
  );
  expect(stdout.length).toBe(width * height);
  let [x0, y0, x1, y1] = [width, height, -1, -1];
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      if (stdout[y * width + x]! > 128) {
        x0 = Math.min(x0, x);
        x1 = Math.max(x1, x);
        y0 = Math.min(y0, y);
        y1 = Math.max(y1, y);
      }
    }
  }
  return { w: x1 - x0 + 1, h: y1 - y0 + 1, x: x0, y: y0 };
}

describe('fit geometry', () => {
  let dir: string;
  let renderer: Renderer;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'vmp-geometry-'));
    renderer = createRenderer({ cacheDir: join(dir, 'cache'), concurrency: 2 });
  });
  afterAll(async () => {
    await renderer.close();
    await rm(dir, { recursive: true, force: true });
  });

  // [source w, h, SAR, on-screen box], output format, fit, expected box side in the output, output pixels per
  // stored source pixel across (odd crops and odd box positions round by up to one source pixel).
  const cases = [
    // Landscape into portrait, cover: the 360 source rows become 1920 → box 90 → 480.
    {
      name: 'landscape 16:9 → 9:16 cover',
      src: [640, 360, [1, 1], 90],
      format: '9:16',
      fit: 'cover',
      side: 480,
      px: 5.3,
    },
    // Anamorphic 320×240 at SAR 4:3 shows as 427×240; into 1:1 cover the 240 rows become 1080 → box 60 → 270.
    {
      name: 'anamorphic 4:3 SAR → 1:1 cover',
      src: [320, 240, [4, 3], 60],
      format: '1:1',
      fit: 'cover',
      side: 270,
      px: 6,
    },
    // Portrait into landscape, contain: the 640 source rows become 1080 → box 160 → 270.
    {
      name: 'portrait → 16:9 contain',
      src: [360, 640, [1, 1], 160],
      format: '16:9',
      fit: 'contain',
      side: 270,
      px: 1.7,
    },
  ] as const;

  for (const c of cases) {
    it(`keeps a square square and centred: ${c.name}`, async () => {
      const [w, h, sar, box] = c.src;
      const source = await boxClip(dir, c.name.replace(/\W+/g, '-'), w, h, [sar[0], sar[1]], box);
      const settings = RenderSettings.parse({ format: c.format, fit: c.fit });
      const file = await renderer.normalise(source, settings);
      const out = { '9:16': [1080, 1920], '1:1': [1080, 1080], '16:9': [1920, 1080] }[c.format] as [number, number];
      const found = await brightBox(file, ...out);
      // Within 2 % of the side (scaling blurs the box edge by a pixel or two), centred within one source pixel.
      expect(Math.abs(found.w - c.side)).toBeLessThanOrEqual(c.side * 0.02);
      expect(Math.abs(found.h - c.side)).toBeLessThanOrEqual(c.side * 0.02);
      expect(Math.abs(found.x + found.w / 2 - out[0] / 2)).toBeLessThanOrEqual(c.px + 1);
      expect(Math.abs(found.y + found.h / 2 - out[1] / 2)).toBeLessThanOrEqual(c.px + 1);
    });
  }
});
