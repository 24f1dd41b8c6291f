/** Exact counting with bigint: possible counts overflow doubles long before they stop mattering to users. */

export function gcd(a: bigint, b: bigint): bigint {
  let x = a < 0n ? -a : a;
  let y = b < 0n ? -b : b;
  while (y) [x, y] = [y, x % y];
  return x;
}

export function lcm(a: bigint, b: bigint): bigint {
  return a === 0n || b === 0n ? 0n : (a / gcd(a, b)) * b;
}

export function product(values: readonly number[]): bigint {
  return values.reduce((acc, v) => acc * BigInt(v), 1n);
}

/** Ordered selections of k distinct items out of n: n!/(n-k)!. */
export function permutations(n: number, k: number): bigint {
  if (k < 0 || k > n) return 0n;
  let result = 1n;
  for (let i = 0; i < k; i++) result *= BigInt(n - i);
  return result;
}

export function binomial(n: number, k: number): bigint {
  if (k < 0 || k > n) return 0n;
  const kk = Math.min(k, n - k);
  let result = 1n;
  for (let i = 1; i <= kk; i++) result = (result * BigInt(n - kk + i)) / BigInt(i);
  return result;
}

/** bigint → number for display; huge values become approximate (and stay finite). */
export function toApproxNumber(value: bigint): number {
  const n = Number(value);
  return Number.isFinite(n) ? n : Number.MAX_VALUE;
}
