import { readFile } from 'node:fs/promises';
import { basename } from 'node:path';
import type { CaptionCue } from '@vmp/shared';
import { glyphWarnings } from './coverage.ts';
import { fitCuesToClip, parseCaptions } from './cues.ts';
import { TextFileError } from './errors.ts';
import { parseHeadlines } from './headlines.ts';

async function read(file: string): Promise<string> {
  try {
    return await readFile(file, 'utf8');
  } catch (error) {
    throw new TextFileError(
      file,
      null,
      `could not be read (${(error as NodeJS.ErrnoException).code ?? String(error)}).`,
    );
  }
}

/**
 * A clip's caption file, parsed and fitted to the clip's `duration`; warnings say what was cut and which cues hold
 * characters no bundled font has.
 */
export async function loadCaptions(
  file: string,
  duration: number,
): Promise<{ cues: CaptionCue[]; warnings: string[] }> {
  const fitted = fitCuesToClip(parseCaptions(await read(file), file), duration, file);
  const where = `${basename(file)}: a caption`;
  const glyphs = glyphWarnings(fitted.cues.map((cue) => ({ where, text: cue.text })));
  return { cues: fitted.cues, warnings: [...fitted.warnings, ...glyphs] };
}

/** Warnings for headlines holding characters no bundled font has, naming the file. */
export function headlineGlyphWarnings(file: string, headlines: ReadonlyArray<{ text: string }>): string[] {
  return glyphWarnings(headlines.map((h) => ({ where: `${basename(file)}: a headline`, text: h.text })));
}

/** A group's headlines file; ids are `<prefix>:<line>` so rules and manifests can name one headline. */
export async function loadHeadlines(file: string, idPrefix: string): Promise<Array<{ id: string; text: string }>> {
  return parseHeadlines(await read(file), file).map((h) => ({ id: `${idPrefix}:${h.line}`, text: h.text }));
}
