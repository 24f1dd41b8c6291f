import { randomBytes } from 'node:crypto';
import { mkdir, rm } from 'node:fs/promises';
import { basename, join } from 'node:path';
import type { ObjectStorage } from '../../storage/types.ts';
import type { LocalBatch } from '../batch-paths.ts';
import type { OutputPlace } from '../place.ts';
import { finishedOutputDuration } from '../publish.ts';
import { outputKey } from './keys.ts';

/**
 * Outputs of a bucket job: rendered in this worker's scratch folder (`local.outDir`), then uploaded to
 * runs/{runId}/outputs/{file}. An upload shows only once complete (S3 PUT and multipart completion are atomic),
 * and the key is the run's own, so a key that exists is this run's finished output: a retry skips it.
 */
export function bucketPlace(local: LocalBatch, storage: ObjectStorage, runId: string): OutputPlace {
  const key = (index: number) => outputKey(runId, basename(local.finals.get(index)!));
  return {
    where: (index) => `${storage.url}/${key(index)}`,
    async finished(index, mark) {
      if (!(await storage.stat(key(index)))) return null;
      // Uploaded by an attempt that stopped before saying so: its duration from the file itself.
      const probe = join(local.outDir, `.check-${randomBytes(4).toString('hex')}.mp4`);
      try {
        await storage.getToFile(key(index), probe);
        return await finishedOutputDuration(probe, mark);
      } finally {
        await rm(probe, { force: true });
      }
    },
    async publish(staged, index) {
      try {
        if (await storage.stat(key(index))) return 'already-there';
        await storage.putFile(key(index), staged, staged.endsWith('.mp4') ? { contentType: 'video/mp4' } : {});
        return 'published';
      } finally {
        await rm(staged, { force: true });
      }
    },
    makeStaging: (staging) => mkdir(staging, { recursive: true }).then(() => undefined),
    async cleanup() {
      await rm(local.outDir, { recursive: true, force: true });
    },
  };
}
