/** Small helpers so every benchmark prints the same way: a named figure, its baseline, and the ratio. */
export function seconds(ms: number): string {
  return `${(ms / 1000).toFixed(2)} s`;
}

export async function timed<T>(fn: () => Promise<T>): Promise<{ ms: number; value: T }> {
  const start = performance.now();
  const value = await fn();
  return { ms: performance.now() - start, value };
}

export function ratioLine(name: string, baselineMs: number, measuredMs: number, target: string): string {
  const ratio = baselineMs / measuredMs;
  return `${name}: baseline ${seconds(baselineMs)} / measured ${seconds(measuredMs)} = ${ratio.toFixed(2)}x (target ${target})`;
}
