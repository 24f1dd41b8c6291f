import { basename, extname } from 'node:path';
import { DEFAULT_NAME_TEMPLATE } from '@vmp/shared';
import { asciiName } from '../codes/ascii-name.ts';

/** Per-output seed: a stable mix of the project seed and the output index (same inputs, same file, every run). */
export function outputSeed(seed: number, index: number): number {
  let h = (seed ^ Math.imul(index + 1, 0x9e3779b1)) >>> 0;
  h = Math.imul(h ^ (h >>> 16), 0x85ebca6b) >>> 0;
  h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35) >>> 0;
  return (h ^ (h >>> 16)) & 0x7fffffff;
}

const WINDOWS_RESERVED = /^(con|prn|aux|nul|com[1-9]|lpt[1-9])$/i;
export const MAX_NAME_LENGTH = 120;

/**
 * A file name every OS accepts: no path separators, no characters Windows forbids, no control characters,
 * no trailing dots or spaces, no reserved device names, at most `max` characters (before the extension).
 */
export function sanitizeFileName(name: string, max = MAX_NAME_LENGTH): string {
  let clean = name
    .normalize('NFC')
    .replace(/\s+/g, ' ')
    .replace(/[<>:"/\\|?*\u0000-\u001f\u007f]/g, '-')
    .replace(/-{2,}/g, '-')
    .trim();
  clean = Array.from(clean).slice(0, max).join('');
  clean = clean.replace(/[. ]+$/g, '').replace(/^[. ]+/g, '');
  if (!clean) clean = 'output';
  if (WINDOWS_RESERVED.test(clean.split('.')[0] ?? '')) clean = `_${clean}`;
  return clean;
}

/** Short, readable clip name for `{clips}`: file stem, at most 16 characters. */
export function shortClipName(path: string): string {
  const stem = basename(path, extname(path));
  return Array.from(stem).slice(0, 16).join('');
}

export interface NameFields {
  project: string;
  index: number;
  /** Outputs in the project: sets the zero padding of {index} (at least 3 digits). */
  total: number;
  clipNames: readonly string[];
  seed: number;
  format: string;
  /** Headline(s) shown in this output, for `{text}`. */
  texts?: readonly string[];
  /** The ad's component codes joined (adName, engine/codes), for `{codes}`. */
  codes?: string;
  /** Placement name for `{placement}` (default: the format, "9x16"). */
  placement?: string;
}

/** The default before component codes; still what the default template means when a plan has no codes. */
export const LEGACY_NAME_TEMPLATE = '{project}-{index}-{clips}';

/** `{text}`: the output's headline(s), each cut to 40 characters (sanitised with the rest of the name). */
export function textForName(texts: readonly string[] | undefined): string {
  return (texts ?? []).map((t) => Array.from(t.trim()).slice(0, 40).join('').trim()).join('_');
}

/**
 * Expands a template ({project} {index} {clips} {seed} {format} {text} {codes} {placement}) into a sanitised `.mp4`
 * name. The default template gives `{project}_{codes}_{placement}` in ASCII, no spaces, cut only between words.
 */
export function outputFileName(template: string | undefined, fields: NameFields): string {
  const byDefault = !template || template === DEFAULT_NAME_TEMPLATE;
  if (byDefault && fields.codes) {
    const project = asciiName(fields.project, 60) || 'video';
    const placement = asciiName(fields.placement ?? fields.format.replace(':', 'x'), 30);
    return `${sanitizeFileName(`${project}_${asciiName(fields.codes, 60)}_${placement}`)}.mp4`;
  }
  const width = Math.max(3, String(Math.max(0, fields.total)).length);
  const values: Record<string, string> = {
    project: fields.project,
    index: String(fields.index + 1).padStart(width, '0'),
    clips: fields.clipNames.join('_'),
    seed: String(fields.seed),
    format: fields.format.replace(':', 'x'),
    text: textForName(fields.texts),
    codes: fields.codes ?? String(fields.index + 1).padStart(width, '0'),
    placement: fields.placement ?? fields.format.replace(':', 'x'),
  };
  const expanded = (byDefault ? LEGACY_NAME_TEMPLATE : template).replace(
    /\{(\w+)\}/g,
    (whole, key: string) => values[key] ?? whole,
  );
  return `${sanitizeFileName(expanded)}.mp4`;
}

/** Ensures `.mp4` and a safe name for a caller-given file name. */
export function normaliseFileName(name: string): string {
  const stem = name.toLowerCase().endsWith('.mp4') ? name.slice(0, -4) : name;
  return `${sanitizeFileName(stem)}.mp4`;
}

/**
 * De-duplicates names case-insensitively (macOS and Windows file systems ignore case): the second "a.mp4" becomes
 * "a-2.mp4", and so on. `taken` holds names already in use (e.g. files in the folder).
 */
export function dedupeFileNames(names: readonly string[], taken: Iterable<string> = []): string[] {
  const used = new Set(Array.from(taken, (n) => n.toLowerCase()));
  return names.map((name) => {
    const stem = name.slice(0, -extname(name).length || undefined);
    const ext = extname(name);
    let candidate = name;
    for (let n = 2; used.has(candidate.toLowerCase()); n++) candidate = `${stem}-${n}${ext}`;
    used.add(candidate.toLowerCase());
    return candidate;
  });
}
