import { readdir, stat } from 'node:fs/promises';
import { basename, extname, join, resolve } from 'node:path';
import { UsageError } from './command.ts';

const collator = new Intl.Collator(undefined, { numeric: true, sensitivity: 'base' });

/** "2-body" before "10-outro": the order people number folders in. Ties broken by code point for stability. */
export function naturalCompare(a: string, b: string): number {
  return collator.compare(a, b) || (a < b ? -1 : a > b ? 1 : 0);
}

export interface ScannedGroup {
  name: string;
  dir: string;
  files: string[];
  /** `headlines.txt` in the group folder: headline variants over this group's clip. */
  headlinesFile?: string;
}

/** Text files that came with the clips: captions by clip path, and what could not be used. */
interface ScannedText {
  /** clip path → its `clip.srt` / `clip.vtt` (same base name, same folder). */
  captions: Map<string, string>;
  /** Text files left out, with why (no clip of that name, a second caption file, headlines outside a group). */
  unusedText: Array<{ path: string; reason: string }>;
}

export type ScannedFolder =
  | ({ mode: 'manual'; groups: ScannedGroup[]; ignored: string[] } & Partial<ScannedText>)
  | ({ mode: 'auto'; files: string[]; ignored: string[] } & Partial<ScannedText>);

export const HEADLINES_FILE = 'headlines.txt';
const CAPTION_EXTS = ['.srt', '.vtt'];

function isCaptionFile(path: string): boolean {
  return CAPTION_EXTS.includes(extname(path).toLowerCase());
}

/**
 * Splits a folder's files into clips and their caption files: `clip.srt` (or `.vtt`) goes with the clip of the same
 * base name; one with no such clip is reported, never mixed as a clip.
 */
function pairCaptions(files: readonly string[], text: ScannedText): string[] {
  const clips = files.filter((f) => !isCaptionFile(f));
  const byStem = new Map(clips.map((c) => [join(resolve(c, '..'), basename(c, extname(c))), c]));
  for (const file of files.filter(isCaptionFile)) {
    const clip = byStem.get(join(resolve(file, '..'), basename(file, extname(file))));
    if (!clip) {
      text.unusedText.push({
        path: file,
        reason: `no clip named "${basename(file, extname(file))}" beside it; name captions after their clip (clip.mp4 + clip.srt).`,
      });
    } else if (text.captions.has(clip)) {
      text.unusedText.push({
        path: file,
        reason: `"${basename(clip)}" already has captions in ${basename(text.captions.get(clip)!)}; keep one caption file per clip.`,
      });
    } else {
      text.captions.set(clip, file);
    }
  }
  return clips;
}

// Hidden files (.DS_Store, ._resource forks) and OS litter are never clips.
function isLitter(name: string): boolean {
  return name.startsWith('.') || name === 'Thumbs.db' || name === 'desktop.ini';
}

/**
 * A folder of sub-folders is manual mode (each sub-folder a group, in natural name order); a folder of files is
 * auto mode. In manual mode, loose files beside the group folders are listed in `ignored`. `exclude` (e.g. the
 * output folder when it sits inside the input) is skipped.
 */
export async function scanMixFolder(folder: string, exclude: readonly string[] = []): Promise<ScannedFolder> {
  const root = resolve(folder);
  let info: Awaited<ReturnType<typeof stat>>;
  try {
    info = await stat(root);
  } catch {
    throw new UsageError(`Folder "${folder}" was not found.`);
  }
  if (!info.isDirectory()) throw new UsageError(`"${folder}" is a file; give the folder that holds your clips.`);
  const skip = new Set(exclude.map((p) => resolve(p)));
  const entries = (await readdir(root, { withFileTypes: true }))
    .filter((e) => !isLitter(e.name) && !skip.has(join(root, e.name)))
    .sort((a, b) => naturalCompare(a.name, b.name));
  const dirs = entries.filter((e) => e.isDirectory());
  const files = entries.filter((e) => !e.isDirectory()).map((e) => join(root, e.name));
  const text: ScannedText = { captions: new Map(), unusedText: [] };
  const notHeadlines = (list: string[]) =>
    list.filter((f) => {
      if (basename(f).toLowerCase() !== HEADLINES_FILE) return true;
      text.unusedText.push({
        path: f,
        reason: `headlines only work inside a group folder (manual mode): put ${HEADLINES_FILE} beside the clips it goes over.`,
      });
      return false;
    });
  if (dirs.length === 0) return { mode: 'auto', files: pairCaptions(notHeadlines(files), text), ignored: [], ...text };
  const groups: ScannedGroup[] = [];
  for (const d of dirs) {
    const dir = join(root, d.name);
    const inner = (await readdir(dir, { withFileTypes: true }))
      .filter((e) => !isLitter(e.name) && !e.isDirectory())
      .map((e) => e.name)
      .sort(naturalCompare)
      .map((name) => join(dir, name));
    const headlinesFile = inner.find((f) => basename(f).toLowerCase() === HEADLINES_FILE);
    const clips = pairCaptions(
      inner.filter((f) => f !== headlinesFile),
      text,
    );
    groups.push({ name: d.name, dir, files: clips, ...(headlinesFile ? { headlinesFile } : {}) });
  }
  return { mode: 'manual', groups, ignored: notHeadlines(files), ...text };
}
