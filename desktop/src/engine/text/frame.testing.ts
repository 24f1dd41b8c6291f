// Test helper: draws an ASS script over a plain grey canvas with real FFmpeg/libass and returns the gray pixels.
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { runFfmpeg } from '../ffmpeg/run.ts';
import { prepareFonts } from './fonts.ts';
import type { Rect } from './layout.ts';
import { subtitlesFilter } from './overlay.ts';

export interface GrayFrame {
  width: number;
  height: number;
  pixels: Buffer;
}

/** The frame at `seconds` of `ass` drawn over a `grey` (0–255) canvas. */
export async function drawAss(
  dir: string,
  ass: string,
  canvas: { width: number; height: number },
  seconds: number,
  grey = 128,
): Promise<GrayFrame> {
  await mkdir(dir, { recursive: true });
  const path = join(dir, `t${Math.random().toString(16).slice(2)}.ass`);
  await writeFile(path, ass);
  const fonts = await prepareFonts(dir);
  const hex = grey.toString(16).padStart(2, '0');
  const { stdout } = await runFfmpeg(
    [
      '-f',
      'lavfi',
      '-i',
      `color=c=0x${hex}${hex}${hex}:s=${canvas.width}x${canvas.height}:r=10:d=${seconds + 1}`,
      '-vf',
      `${subtitlesFilter(path, fonts.dir)},select='gte(t,${seconds})',format=gray`,
      '-frames:v',
      '1',
      '-f',
      'rawvideo',
      '-',
    ],
    { captureStdout: true, env: fonts.env },
  );
  return { ...canvas, pixels: stdout };
}

/** Bounding box of the pixels `match` accepts inside `within` (the whole frame by default); null when none. */
export function boundsOf(frame: GrayFrame, match: (v: number) => boolean, within?: Rect): Rect | null {
  const r = within ?? { x: 0, y: 0, width: frame.width, height: frame.height };
  let [x0, y0, x1, y1] = [Infinity, Infinity, -1, -1];
  for (let y = r.y; y < r.y + r.height; y++) {
    for (let x = r.x; x < r.x + r.width; x++) {
      if (!match(frame.pixels[y * frame.width + x]!)) continue;
      x0 = Math.min(x0, x);
      y0 = Math.min(y0, y);
      x1 = Math.max(x1, x);
      y1 = Math.max(y1, y);
    }
  }
  return x1 < 0 ? null : { x: x0, y: y0, width: x1 - x0 + 1, height: y1 - y0 + 1 };
}

/** Pixels `match` accepts inside `rect`. */
export function countIn(frame: GrayFrame, match: (v: number) => boolean, rect: Rect): number {
  let n = 0;
  for (let y = rect.y; y < rect.y + rect.height; y++) {
    for (let x = rect.x; x < rect.x + rect.width; x++) if (match(frame.pixels[y * frame.width + x]!)) n++;
  }
  return n;
}
