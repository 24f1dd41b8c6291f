import { basename } from 'node:path';
import type { NearDuplicate } from '@vmp/shared';
import { type HashedOutput, NEAR_DUPLICATE_THRESHOLD, nearDuplicates } from './report.ts';
import { openingHashes } from './sample.ts';

export { dHash, hamming, sequenceDistance } from './dhash.ts';
export { type HashedOutput, NEAR_DUPLICATE_THRESHOLD, nearDuplicates } from './report.ts';
export { OPENING_SECONDS, openingHashes, SAMPLES_PER_SECOND } from './sample.ts';

/** After a batch: hashes each output's opening (one at a time: the renders have the cores) and reports alike pairs. */
export async function nearDuplicateReport(
  outputs: readonly { path: string; placement: string }[],
  options: { signal?: AbortSignal; threshold?: number } = {},
): Promise<NearDuplicate[]> {
  const hashed: HashedOutput[] = [];
  for (const o of outputs) {
    hashed.push({
      file: basename(o.path),
      placement: o.placement,
      hashes: await openingHashes(o.path, options.signal),
    });
  }
  return nearDuplicates(hashed, options.threshold ?? NEAR_DUPLICATE_THRESHOLD);
}
