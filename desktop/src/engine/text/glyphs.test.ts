import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DEFAULT_CAPTION_STYLE, DEFAULT_HEADLINE_STYLE } from '@vmp/shared';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runFfmpeg } from '../ffmpeg/run.ts';
import { buildAss, type TextEvent } from './ass.ts';
import { prepareFonts } from './fonts.ts';
import { ocrAt } from './ocr.testing.ts';
import { subtitlesFilter } from './overlay.ts';

// What the user typed is what libass draws: real FFmpeg + libass with the bundled fonts, read back by tesseract.
let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'vmp-glyphs-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

const canvas = { format: '16:9' as const, width: 960, height: 540 };

/** Draws the events over a dark background and returns the one-second MP4. */
async function draw(name: string, events: TextEvent[]): Promise<{ file: string; ass: string }> {
  const fonts = await prepareFonts(join(dir, 'cache'));
  const ass = buildAss({
    canvas,
    captionStyle: { ...DEFAULT_CAPTION_STYLE, size: 9 },
    headlineStyle: DEFAULT_HEADLINE_STYLE,
    events,
  });
  const assPath = join(dir, `${name}.ass`);
  await writeFile(assPath, ass);
  const file = join(dir, `${name}.mp4`);
  await runFfmpeg(
    [
      '-f',
      'lavfi',
      '-i',
      `color=c=0x203040:s=${canvas.width}x${canvas.height}:d=1:r=10`,
      '-vf',
      subtitlesFilter(assPath, fonts.dir),
      '-pix_fmt',
      'yuv420p',
      '-y',
      file,
    ],
    { env: fonts.env },
  );
  return { file, ass };
}

describe('glyphs drawn as typed (libass, OCR)', () => {
  it('keeps braces as braces, and never expands %{pts}', async () => {
    const { file, ass } = await draw('braces', [
      { kind: 'caption', start: 0, end: 1, text: '{SALE} NOW' },
      { kind: 'headline', start: 0, end: 1, text: 'TIME %{pts}' },
    ]);
    expect(ass).toMatch(/[,}]\\\{SALE\\\} NOW$/m);
    expect(ass).toMatch(/[,}]TIME %\\\{pts\\\}$/m);
    const text = await ocrAt(file, 0.5);
    expect(text).toContain('{SALE}');
    expect(text).not.toContain('(SALE');
    expect(text).toContain('%{PTS}');
  }, 60_000);

  it('draws an emoji from the bundled emoji font, not the empty box of a glyph no font has', async () => {
    const frame = async (name: string, text: string) => {
      const { file } = await draw(name, [{ kind: 'headline', start: 0, end: 1, text }]);
      const { stdout } = await runFfmpeg(['-ss', '0.5', '-i', file, '-frames:v', '1', '-f', 'md5', '-'], {
        captureStdout: true,
      });
      return stdout.toString().trim();
    };
    // U+E000 (private use) is in no font: libass draws the .notdef box. The emoji must not look like that.
    const box = await frame('box', 'SALE \uE000');
    expect(await frame('fire', 'SALE \u{1F525}')).not.toBe(box);
    expect(await frame('heart', 'SALE \u2764\uFE0F')).not.toBe(box);
  }, 60_000);
});
