import { contentKey } from '../../engine/hash/content-key.ts';
import type { OutputSpec } from '../../engine/render/types.ts';
import type { ObjectStorage } from '../../storage/types.ts';
import { clipKey } from './keys.ts';

export interface RemoteFile {
  /** The submitter's path. */
  path: string;
  hash: string;
}

/** Every clip and music file `specs` name, once each, with its content hash (music is hashed here). */
export async function filesOfSpecs(specs: readonly OutputSpec[]): Promise<RemoteFile[]> {
  const files = new Map<string, string>();
  for (const spec of specs) {
    for (const source of spec.sources) files.set(source.path, source.hash);
    const music = spec.settings.audio.musicPath;
    if (music && !files.has(music)) files.set(music, await contentKey(music));
  }
  return [...files].map(([path, hash]) => ({ path, hash }));
}

/**
 * Puts each file in the bucket under its content hash, unless it is there already (one HEAD each): a clip is
 * uploaded once per farm, whatever run or machine submits it.
 */
export async function uploadFiles(
  storage: ObjectStorage,
  files: readonly RemoteFile[],
  log: (line: string) => void,
  signal?: AbortSignal,
): Promise<{ uploaded: number; present: number; bytes: number }> {
  let uploaded = 0;
  let present = 0;
  let bytes = 0;
  const seen = new Set<string>();
  for (const file of files) {
    signal?.throwIfAborted();
    if (seen.has(file.hash)) continue;
    seen.add(file.hash);
    const key = clipKey(file.hash);
    if (await storage.stat(key)) {
      present++;
      continue;
    }
    const stored = await storage.putFile(key, file.path);
    uploaded++;
    bytes += stored.size;
    log(`Uploaded ${file.path} to ${storage.url}/${key}`);
  }
  log(`Clips in ${storage.url}: uploaded ${uploaded} (${(bytes / 1e6).toFixed(1)} MB), ${present} already there.`);
  return { uploaded, present, bytes };
}
