// Test helper: reads burned-in text back from a real output with tesseract (Debian's tesseract-ocr). Not app code.
import { execFile } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { runFfmpeg } from '../ffmpeg/run.ts';

const exec = promisify(execFile);

/**
 * OCR of the frame shown at `seconds`: bright pixels (the white text) become black on white, which is what tesseract
 * reads best; the test clips are solid colours well below that brightness. Returns upper-cased words.
 */
export async function ocrAt(file: string, seconds: number): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'vmp-ocr-'));
  try {
    const png = join(dir, 'frame.png');
    await runFfmpeg([
      '-ss',
      seconds.toFixed(3),
      '-i',
      file,
      '-frames:v',
      '1',
      '-vf',
      "format=gray,lut=y='if(gt(val,200),0,255)'",
      png,
    ]);
    const { stdout } = await exec('tesseract', [png, 'stdout', '--psm', '11'], { maxBuffer: 1 << 20 });
    return stdout.toUpperCase().replace(/\s+/g, ' ').trim();
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

/** Pixels brighter than 200 (of 255) in the frame at `seconds`, inside rows [top, bottom) as fractions of height. */
export async function brightPixels(file: string, seconds: number, top = 0, bottom = 1): Promise<number> {
  const { stdout } = await runFfmpeg(
    [
      '-ss',
      seconds.toFixed(3),
      '-i',
      file,
      '-frames:v',
      '1',
      '-vf',
      `crop=iw:ih*${bottom - top}:0:ih*${top},format=gray`,
      '-f',
      'rawvideo',
      '-',
    ],
    { captureStdout: true },
  );
  let count = 0;
  for (const value of stdout) if (value > 200) count++;
  return count;
}
