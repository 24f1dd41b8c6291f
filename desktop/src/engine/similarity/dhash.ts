/** Difference hash of a 9×8 grayscale image (row-major bytes): bit set where a pixel is brighter than its right neighbour. */
export function dHash(pixels: Uint8Array | Buffer): bigint {
  if (pixels.length !== 72) throw new Error(`dHash wants 9x8 = 72 gray pixels, got ${pixels.length}`);
  let hash = 0n;
  for (let y = 0; y < 8; y++) {
    for (let x = 0; x < 8; x++) {
      hash = (hash << 1n) | (pixels[y * 9 + x]! > pixels[y * 9 + x + 1]! ? 1n : 0n);
    }
  }
  return hash;
}

/** Bits that differ between two 64-bit hashes (0 identical – 64 opposite). */
export function hamming(a: bigint, b: bigint): number {
  let x = a ^ b;
  let n = 0;
  while (x) {
    n += Number(x & 1n);
    x >>= 1n;
  }
  return n;
}

/**
 * Distance between two sampled sequences: the mean Hamming distance of frames at the same times (the shorter
 * sequence decides how many). Infinity when either has no frames.
 */
export function sequenceDistance(a: readonly bigint[], b: readonly bigint[]): number {
  const n = Math.min(a.length, b.length);
  if (n === 0) return Number.POSITIVE_INFINITY;
  let sum = 0;
  for (let i = 0; i < n; i++) sum += hamming(a[i]!, b[i]!);
  return sum / n;
}
