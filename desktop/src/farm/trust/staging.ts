import { lstat, mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { assertUnderRoots, FarmPathError } from '../paths.ts';
import { STAGING_FOLDER } from '../publish.ts';

/**
 * Makes an attempt's staging folder inside the (already checked) output folder. The hidden `.vmp-farm` folder is
 * made by workers: one that is a symbolic link (or not a folder) is refused rather than followed, and the folder
 * made is checked by its real path against the roots, so a link planted on the share cannot send writes elsewhere.
 */
export async function makeStagingDir(outDir: string, staging: string, roots: readonly string[]): Promise<void> {
  const folder = join(outDir, STAGING_FOLDER);
  const found = await lstat(folder).catch(() => undefined);
  if (found && !found.isDirectory()) {
    throw new FarmPathError(
      'FARM_PATH_REFUSED',
      `Refused staging folder "${folder}": it is ${found.isSymbolicLink() ? 'a symbolic link' : 'not a folder'}. Remove it; workers make their own.`,
      folder,
    );
  }
  await mkdir(folder, { recursive: true });
  await assertUnderRoots(folder, roots, 'staging folder');
  await mkdir(staging);
  await assertUnderRoots(staging, roots, 'staging folder');
}
