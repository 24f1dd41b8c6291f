import { readdirSync, rmSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import { join } from 'node:path';

// Renders write `<final>.part` and rename it when complete: a finished output is never a partial file.

export function partPathOf(finalPath: string): string {
  return `${finalPath}.part`;
}

/** Partial files a render leaves while writing ("x.mp4.part", "x.part.mp4"); never a finished output. */
export function isPartFile(name: string): boolean {
  return /\.part(\.[^.]+)?$/i.test(name);
}

/**
 * Removes a partial file. Best effort: whatever sits at that path and cannot go (a folder of the user's, a locked
 * file) already made that output fail with FFmpeg's own message, and must not stop the other outputs.
 */
export async function discardPart(partPath: string): Promise<void> {
  await rm(partPath, { force: true }).catch(() => undefined);
}

/** Removes the partial file of one output, if any (synchronous: used while the queue settles an attempt). */
export function removePartOf(finalPath: string): void {
  rmSync(partPathOf(finalPath), { force: true });
}

/** Removes every partial file in a job's output folder (crash recovery); a missing folder is fine. */
export function removePartFilesIn(dir: string): void {
  let names: string[];
  try {
    names = readdirSync(dir);
  } catch {
    return; // Folder not created yet, or gone.
  }
  for (const name of names) if (isPartFile(name)) rmSync(join(dir, name), { force: true });
}
