import { rm, rmdir } from 'node:fs/promises';
import { join } from 'node:path';
import type { LocalBatch } from './batch-paths.ts';
import { finishedOutputDuration, type PublishOutcome, publishOutput, type RunMark, STAGING_FOLDER } from './publish.ts';
import { makeStagingDir } from './trust/staging.ts';

/**
 * Where a worker's finished outputs go: the shared folder (published by hard link beside the submitter's other
 * files) or the bucket (farm/remote/bucket-place.ts). Either way each output is made once per run.
 */
export interface OutputPlace {
  /** The output's final place, for logs (a path or an s3:// URL). */
  where(index: number): string;
  /** Its duration if this run already made it (an earlier attempt), else null. */
  finished(index: number, mark: RunMark): Promise<number | null>;
  publish(staged: string, index: number, mark: RunMark): Promise<PublishOutcome>;
  makeStaging(staging: string): Promise<void>;
  /** After the batch (also when it failed or was handed back). */
  cleanup(staging: string): Promise<void>;
}

export function sharedFolderPlace(local: LocalBatch, roots: readonly string[]): OutputPlace {
  const final = (index: number) => local.finals.get(index)!;
  return {
    where: final,
    finished: (index, mark) => finishedOutputDuration(final(index), mark),
    publish: (staged, index, mark) => publishOutput(staged, final(index), mark),
    makeStaging: (staging) => makeStagingDir(local.outDir, staging, roots),
    async cleanup(staging) {
      await rm(staging, { recursive: true, force: true });
      await rmdir(join(local.outDir, STAGING_FOLDER)).catch(() => undefined); // only if no other attempt uses it
    },
  };
}
