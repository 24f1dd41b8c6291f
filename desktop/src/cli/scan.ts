import { readdir, stat } from 'node:fs/promises';
import { join, resolve } from 'node:path';
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
}

export type ScannedFolder =
  | { mode: 'manual'; groups: ScannedGroup[]; ignored: string[] }
  | { mode: 'auto'; files: string[]; ignored: string[] };

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
  if (dirs.length === 0) return { mode: 'auto', files, ignored: [] };
  const groups: ScannedGroup[] = [];
  for (const d of dirs) {
    const dir = join(root, d.name);
    const inner = (await readdir(dir, { withFileTypes: true }))
      .filter((e) => !isLitter(e.name) && !e.isDirectory())
      .map((e) => e.name)
      .sort(naturalCompare)
      .map((name) => join(dir, name));
    groups.push({ name: d.name, dir, files: inner });
  }
  return { mode: 'manual', groups, ignored: files };
}
