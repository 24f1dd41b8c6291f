/** The Text tab's textarea as headlines: one per non-blank line, trimmed (the core drops blanks the same way). */
export function headlineLines(text: string): string[] {
  return text
    .split(/\r\n|\r|\n/)
    .map((l) => l.trim())
    .filter((l) => l.length > 0);
}

/** Seconds as m:ss.mmm, the way the cue editor shows them. */
export function cueTimeText(seconds: number): string {
  const ms = Math.round(Math.max(0, seconds) * 1000);
  const m = Math.floor(ms / 60_000);
  const s = ((ms % 60_000) / 1000).toFixed(3).padStart(6, '0');
  return `${m}:${s}`;
}

/** "1:02.5", "62.5" or "00:01:02,500" → seconds; undefined when it is not a time. */
export function parseCueTime(raw: string): number | undefined {
  const text = raw.trim().replace(',', '.');
  if (!/^\d+(:\d+){0,2}(\.\d+)?$/.test(text)) return undefined;
  const parts = text.split(':').map(Number);
  const seconds = parts.pop()!;
  if (parts.length > 0 && seconds >= 60) return undefined;
  if (parts.length === 2 && parts[1]! >= 60) return undefined;
  const total = parts.reduce((acc, p) => acc * 60 + p, 0) * 60 + seconds;
  return Math.round(total * 1000) / 1000;
}
