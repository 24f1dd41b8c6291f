import { randomBytes } from 'node:crypto';
import { rename, rm, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { intermediateName } from '../../engine/render/cache.ts';
import { prepare } from '../../engine/render/prepare.ts';
import type { OutputSpec } from '../../engine/render/types.ts';
import type { ObjectStorage } from '../../storage/types.ts';
import { cacheKey } from './keys.ts';

/** The normalise cache's file names `specs` will use: the very names engine/render/cache.ts gives them. */
export function intermediatesOf(specs: readonly OutputSpec[]): string[] {
  const names = new Set<string>();
  for (const spec of specs) {
    let item: ReturnType<typeof prepare>;
    try {
      item = prepare(spec);
    } catch {
      continue; // the renderer reports it
    }
    item.clips.forEach((clip, k) => {
      const text = item.texts[k] && item.strategy.burnsTextIntoIntermediates ? item.texts[k] : undefined;
      names.add(intermediateName(clip.hash, item.profile, text));
    });
  }
  return [...names];
}

const present = async (path: string) => ((await stat(path).catch(() => undefined))?.size ?? 0) > 0;

/**
 * The bucket as a second level of the normalise cache, so a clip is normalised once per farm: before a batch,
 * intermediates this worker lacks and the bucket has are downloaded (temporary name, then renamed: the cache
 * trusts a file under its final name); after it, the ones the bucket lacked are uploaded. Returns the names to
 * upload afterwards.
 */
export async function pullIntermediates(
  storage: ObjectStorage,
  cacheDir: string,
  names: readonly string[],
  log: (line: string) => void,
): Promise<string[]> {
  const missing: string[] = [];
  for (const name of names) {
    const path = join(cacheDir, name);
    if (await present(path)) {
      if (!(await storage.stat(cacheKey(name)))) missing.push(name);
      continue;
    }
    if (!(await storage.stat(cacheKey(name)))) {
      missing.push(name);
      continue;
    }
    const temp = `${path}.${process.pid}-${randomBytes(4).toString('hex')}.download`;
    try {
      await storage.getToFile(cacheKey(name), temp);
      await rename(temp, path);
      log(`normalised clip ${name} from ${storage.url}/${cacheKey(name)}`);
    } finally {
      await rm(temp, { force: true });
    }
  }
  return missing;
}

export async function pushIntermediates(
  storage: ObjectStorage,
  cacheDir: string,
  names: readonly string[],
): Promise<number> {
  let pushed = 0;
  for (const name of names) {
    const path = join(cacheDir, name);
    if (!(await present(path)) || (await storage.stat(cacheKey(name)))) continue;
    await storage.putFile(cacheKey(name), path);
    pushed++;
  }
  return pushed;
}
