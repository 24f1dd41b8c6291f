/**
 * Small seeded PRNG (splitmix32): the same seed gives the same plan on every machine and Node version,
 * which Math.random cannot promise. Not for anything security-related.
 */
export interface Rng {
  /** Uniform in [0, 1). */
  next(): number;
  /** Uniform integer in [0, n). */
  int(n: number): number;
  /** Uniform bigint in [0, n). */
  bigBelow(n: bigint): bigint;
  /** Fisher–Yates shuffle of a copy. */
  shuffled<T>(items: readonly T[]): T[];
}

export function createRng(seed: number): Rng {
  let state = seed >>> 0;
  const nextU32 = (): number => {
    state = (state + 0x9e3779b9) >>> 0;
    let z = state;
    z = Math.imul(z ^ (z >>> 16), 0x85ebca6b) >>> 0;
    z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35) >>> 0;
    return (z ^ (z >>> 16)) >>> 0;
  };
  const next = () => nextU32() / 2 ** 32;
  const int = (n: number) => Math.floor(next() * n);
  const bigBelow = (n: bigint): bigint => {
    if (n <= 0n) throw new RangeError('bigBelow needs n > 0');
    // Rejection sampling over enough 32-bit words: no modulo bias, whatever the size of n.
    const bits = n.toString(2).length;
    const words = Math.ceil(bits / 32);
    const mask = (1n << BigInt(bits)) - 1n;
    for (;;) {
      let value = 0n;
      for (let i = 0; i < words; i++) value = (value << 32n) | BigInt(nextU32());
      value &= mask;
      if (value < n) return value;
    }
  };
  const shuffled = <T>(items: readonly T[]): T[] => {
    const copy = [...items];
    for (let i = copy.length - 1; i > 0; i--) {
      const j = int(i + 1);
      [copy[i], copy[j]] = [copy[j]!, copy[i]!];
    }
    return copy;
  };
  return { next, int, bigBelow, shuffled };
}
