import type { NearDuplicate } from '@vmp/shared';
import { sequenceDistance } from './dhash.ts';

/**
 * Mean bits (of 64) that may differ per sampled frame for two openings to count as alike. dHash distances of 10 or
 * fewer are the usual "same picture" cut-off for one image; averaged over six frames it means the openings look the
 * same throughout, not in one frame by chance. Measured on our own outputs in README ("Near-duplicates").
 */
export const NEAR_DUPLICATE_THRESHOLD = 10;

export interface HashedOutput {
  /** File name (basename) of the output. */
  file: string;
  /** Placement or plain format it was made for: only outputs of the same one are compared. */
  placement: string;
  hashes: readonly bigint[];
}

/** Every pair of outputs of one placement whose openings are within the threshold, closest first. */
export function nearDuplicates(
  outputs: readonly HashedOutput[],
  threshold = NEAR_DUPLICATE_THRESHOLD,
): NearDuplicate[] {
  const pairs: NearDuplicate[] = [];
  for (let i = 0; i < outputs.length; i++) {
    for (let j = i + 1; j < outputs.length; j++) {
      const [a, b] = [outputs[i]!, outputs[j]!];
      if (a.placement !== b.placement) continue;
      const distance = sequenceDistance(a.hashes, b.hashes);
      if (distance <= threshold) {
        pairs.push({ placement: a.placement, a: a.file, b: b.file, distance: Number(distance.toFixed(2)) });
      }
    }
  }
  return pairs.sort((x, y) => x.distance - y.distance || x.a.localeCompare(y.a) || x.b.localeCompare(y.b));
}
