/** Quotes one argument for a POSIX shell so a logged command can be pasted back as-is. */
export function shellQuote(arg: string): string {
  if (arg === '') return "''";
  if (/^[\w@%+=:,./-]+$/.test(arg)) return arg;
  return `'${arg.replace(/'/g, `'\\''`)}'`;
}

export function formatCommand(
  bin: string,
  args: readonly string[],
  env: Readonly<Record<string, string>> = {},
): string {
  const vars = Object.entries(env).map(([key, value]) => `${key}=${shellQuote(value)}`);
  return [...vars, ...[bin, ...args].map(shellQuote)].join(' ');
}

export interface FfmpegProgress {
  /** Output time written so far, in seconds. */
  outTimeSeconds: number;
  frame: number;
  speed: number | null;
  done: boolean;
}

/**
 * Parses blocks of `-progress pipe:1` output ("key=value" lines, each block ending in progress=continue|end).
 * Keeps partial lines between chunks, so feed it raw stdout chunks.
 */
export function createProgressParser(onProgress: (progress: FfmpegProgress) => void): (chunk: string) => void {
  let buffer = '';
  let current: Record<string, string> = {};
  return (chunk) => {
    buffer += chunk;
    let newline = buffer.indexOf('\n');
    while (newline >= 0) {
      const line = buffer.slice(0, newline).trim();
      buffer = buffer.slice(newline + 1);
      newline = buffer.indexOf('\n');
      const eq = line.indexOf('=');
      if (eq <= 0) continue;
      const key = line.slice(0, eq);
      const value = line.slice(eq + 1);
      current[key] = value;
      if (key === 'progress') {
        const outUs = Number(current.out_time_us ?? current.out_time_ms);
        const speed = Number.parseFloat(current.speed ?? '');
        onProgress({
          outTimeSeconds: Number.isFinite(outUs) && outUs > 0 ? outUs / 1_000_000 : 0,
          frame: Number(current.frame ?? 0) || 0,
          speed: Number.isFinite(speed) ? speed : null,
          done: value === 'end',
        });
        current = {};
      }
    }
  };
}
