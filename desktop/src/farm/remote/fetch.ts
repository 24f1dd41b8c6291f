import { randomBytes } from 'node:crypto';
import { mkdir, rename, rm, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { contentKey } from '../../engine/hash/content-key.ts';
import type { ObjectStorage } from '../../storage/types.ts';
import { type LocalBatch, withLocalPaths } from '../batch-paths.ts';
import type { FarmBatch } from '../payload.ts';
import { FarmJobRefusedError } from '../trust/errors.ts';
import { FarmStorageMismatchError } from './errors.ts';
import { clipKey, localClipName } from './keys.ts';

/** One download per file at a time in this process (several batches may want the same clip). */
const downloading = new Map<string, Promise<string>>();

/**
 * A clip or music file of a bucket job as a local file in this worker's clip cache: downloaded once (through a
 * temporary name, then renamed), and hashed here: a file whose content hash is not the one the job names is
 * deleted and the job refused.
 */
async function localFile(
  storage: ObjectStorage,
  dir: string,
  file: { path: string; hash: string },
  worker: string,
): Promise<string> {
  const path = join(dir, localClipName(file.hash, file.path));
  const running = downloading.get(path);
  if (running) return running;
  const task = (async () => {
    if (!(await stat(path).catch(() => undefined))) {
      await mkdir(dir, { recursive: true });
      const temp = `${path}.${process.pid}-${randomBytes(4).toString('hex')}.download`;
      try {
        await storage.getToFile(clipKey(file.hash), temp);
        await rename(temp, path);
      } finally {
        await rm(temp, { force: true });
      }
    }
    const hash = await contentKey(path);
    if (hash !== file.hash) {
      await rm(path, { force: true });
      throw new FarmJobRefusedError(
        'FARM_SOURCE_MISMATCH',
        `Refused this job: ${storage.url}/${clipKey(file.hash)} (clip "${file.path}") is not the clip the job names (content hash ${file.hash.slice(0, 12)}…, the download's is ${hash.slice(0, 12)}…) on worker ${worker}. Something else wrote that key: delete it and submit again.`,
        { path: file.path },
      );
    }
    return path;
  })().finally(() => downloading.delete(path));
  downloading.set(path, task);
  return task;
}

/**
 * A bucket job's specs with local paths: its clips and music downloaded into `clipDir` (checked against their
 * hashes), its outputs made in `outDir` (this worker's own scratch folder; they are then uploaded).
 */
export async function localiseRemoteBatch(
  batch: FarmBatch,
  options: { storage: ObjectStorage; clipDir: string; outDir: string; worker: string },
): Promise<LocalBatch> {
  const { storage, worker } = options;
  if (!batch.storage) {
    throw new FarmStorageMismatchError(
      `Job ${batch.runId} reads clips from a shared folder, and worker ${worker} has none (it was started with --storage only). Start a worker with --root for it, or submit with --storage ${storage.url}.`,
    );
  }
  if (batch.storage.url !== storage.url) {
    throw new FarmStorageMismatchError(
      `Job ${batch.runId} keeps its clips in ${batch.storage.url}; worker ${worker} uses ${storage.url}. Start the worker with --storage ${batch.storage.url}.`,
      { jobStorage: batch.storage.url },
    );
  }
  const local = new Map<string, string>();
  for (const file of batch.storage.files) {
    local.set(file.path, await localFile(storage, options.clipDir, file, worker));
  }
  await mkdir(options.outDir, { recursive: true });
  return withLocalPaths(batch, options.outDir, local);
}
