import { readFileSync } from 'node:fs';

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

/** The other way round: what the measured path costs as a multiple of its baseline (lower is better). */
export function costLine(name: string, baselineMs: number, measuredMs: number, target: string): string {
  const ratio = measuredMs / baselineMs;
  return `${name}: measured ${seconds(measuredMs)} / baseline ${seconds(baselineMs)} = ${ratio.toFixed(2)}x (target ${target})`;
}

/**
 * CPU time of this process plus its waited-for children (FFmpeg runs), in ms, from /proc/self/stat (Linux).
 * On a shared machine wall time swings with other people's load; CPU time says what the work itself cost.
 * Returns null where /proc is missing.
 */
export function cpuMs(): number | null {
  try {
    const stat = readFileSync('/proc/self/stat', 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    // After the comm field: utime, stime, cutime, cstime are fields 14–17 of the line (index 11–14 here).
    const ticks = [11, 12, 13, 14].reduce((sum, i) => sum + Number(fields[i] ?? 0), 0);
    return (ticks * 1000) / 100; // CLK_TCK is 100 on Linux
  } catch {
    return null;
  }
}

export async function measured<T>(fn: () => Promise<T>): Promise<{ ms: number; cpu: number | null; value: T }> {
  const cpuStart = cpuMs();
  const { ms, value } = await timed(fn);
  const cpuEnd = cpuMs();
  return { ms, cpu: cpuStart === null || cpuEnd === null ? null : cpuEnd - cpuStart, value };
}
