import { readFile } from 'node:fs/promises';
import type { CaptionCue } from '@vmp/shared';
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

/** A clip's caption file, parsed and fitted to the clip's `duration` (warnings say what was cut). */
export async function loadCaptions(
  file: string,
  duration: number,
): Promise<{ cues: CaptionCue[]; warnings: string[] }> {
  return fitCuesToClip(parseCaptions(await read(file), file), duration, file);
}

/** A group's headlines file; ids are `<prefix>:<line>` so rules and manifests can name one headline. */
export async function loadHeadlines(file: string, idPrefix: string): Promise<Array<{ id: string; text: string }>> {
  return parseHeadlines(await read(file), file).map((h) => ({ id: `${idPrefix}:${h.line}`, text: h.text }));
}
