// Measurements of rendered media for the tests (colour of a patch, combing, loudness). Not part of the app.
import { runFfmpeg } from '../ffmpeg/run.ts';
import { type LoudnessStats, parseEbur128 } from '../loudness/measure.ts';

/** Mean RGB of a centre patch of the frame at `seconds`, decoded as BT.709 limited range (what outputs are tagged). */
export async function patchColour(file: string, seconds: number, matrix = 'bt709'): Promise<[number, number, number]> {
  const { stdout } = await runFfmpeg(
    [
      '-ss',
      seconds.toFixed(3),
      '-i',
      file,
      '-map',
      '0:v:0',
      '-frames:v',
      '1',
      // Matrix conversion at full size first: swscale ignores it when it also scales in the same step.
      '-vf',
      `scale=in_color_matrix=${matrix}:in_range=tv:out_range=pc,format=rgb24,crop=16:16`,
      '-f',
      'rawvideo',
      '-',
    ],
    { captureStdout: true },
  );
  const sum = [0, 0, 0];
  const pixels = Math.floor(stdout.length / 3);
  for (let p = 0; p < pixels; p++) for (let c = 0; c < 3; c++) sum[c]! += stdout[p * 3 + c]!;
  return [sum[0]! / pixels, sum[1]! / pixels, sum[2]! / pixels];
}

/** Largest per-channel difference between two colours. */
export function colourDistance(a: readonly number[], b: readonly number[]): number {
  return Math.max(...a.map((v, i) => Math.abs(v - (b[i] ?? 0))));
}

/**
 * Combing of a vertical edge: per frame, where each row of the middle band crosses mid-grey, and the largest jump
 * between neighbouring rows; returns the 90th percentile over frames (pixels). Progressive or well deinterlaced
 * video moves the whole edge together (≈ 0–2); woven fields put alternate rows apart by the motion of one field.
 */
export async function edgeCombing(file: string): Promise<number> {
  const size = await frameSize(file);
  const { stdout } = await runFfmpeg(
    ['-i', file, '-map', '0:v:0', '-vf', 'crop=iw:ih/4,format=gray', '-f', 'rawvideo', '-'],
    { captureStdout: true },
  );
  return combingOfFrames(stdout, size);
}

async function frameSize(file: string): Promise<{ width: number; height: number }> {
  const { stdout } = await runFfmpeg(
    [
      '-i',
      file,
      '-map',
      '0:v:0',
      '-frames:v',
      '1',
      '-vf',
      'crop=iw:ih/4,format=gray',
      '-f',
      'image2pipe',
      '-c:v',
      'pgm',
      '-',
    ],
    { captureStdout: true },
  );
  const [, width, height] = /^P5\s+(\d+)\s+(\d+)/.exec(stdout.subarray(0, 32).toString('latin1')) ?? [];
  return { width: Number(width), height: Number(height) };
}

export function combingOfFrames(data: Buffer, size: { width: number; height: number }): number {
  const { width, height } = size;
  const frame = width * height;
  const perFrame: number[] = [];
  for (let at = 0; at + frame <= data.length; at += frame) {
    const edges: number[] = [];
    for (let y = 0; y < height; y++) {
      const row = at + y * width;
      let x = 0;
      while (x < width - 1 && !(data[row + x]! < 128 && data[row + x + 1]! >= 128)) x++;
      edges.push(x);
    }
    let worst = 0;
    for (let y = 1; y < edges.length; y++) worst = Math.max(worst, Math.abs(edges[y]! - edges[y - 1]!));
    perFrame.push(worst);
  }
  perFrame.sort((a, b) => a - b);
  return perFrame[Math.floor(perFrame.length * 0.9)] ?? 0;
}

/** EBU R128 of `duration` seconds of a file's audio from `start`, as ebur128 measures it. */
export async function segmentLoudness(file: string, start: number, duration: number): Promise<LoudnessStats> {
  const { stderr } = await runFfmpeg(
    [
      '-loglevel',
      'info',
      '-nostats',
      '-ss',
      start.toFixed(3),
      '-t',
      duration.toFixed(3),
      '-i',
      file,
      '-map',
      '0:a:0',
      '-af',
      'ebur128=peak=true:framelog=verbose',
      '-f',
      'null',
      '-',
    ],
    { captureStdout: false },
  );
  return parseEbur128(stderr);
}
