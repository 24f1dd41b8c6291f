/** 0:07, 1:05, 1:02:03 — clip and output lengths. Sub-10 s values keep a decimal (0:04.5) because clips are short. */
export function formatDuration(seconds: number | null | undefined): string {
  if (seconds == null || !Number.isFinite(seconds) || seconds < 0) return '–';
  if (seconds < 10) {
    const tenths = Math.round(seconds * 10) / 10;
    if (tenths < 10) return `0:0${tenths.toFixed(1)}`;
  }
  const total = Math.round(seconds);
  const h = Math.floor(total / 3600);
  const m = Math.floor((total % 3600) / 60);
  const s = total % 60;
  const ss = String(s).padStart(2, '0');
  return h > 0 ? `${h}:${String(m).padStart(2, '0')}:${ss}` : `${m}:${ss}`;
}

/** "about 3 min left": coarse on purpose, ETAs jitter. */
export function formatEta(seconds: number | null | undefined): string {
  if (seconds == null || !Number.isFinite(seconds) || seconds < 0) return 'estimating…';
  if (seconds < 1) return 'almost done';
  if (seconds < 60) return `${Math.ceil(seconds)} s left`;
  if (seconds < 3600) return `${Math.round(seconds / 60)} min left`;
  const h = Math.floor(seconds / 3600);
  const m = Math.round((seconds % 3600) / 60);
  return m === 0 ? `${h} h left` : `${h} h ${m} min left`;
}

const UNITS = ['B', 'KB', 'MB', 'GB', 'TB'];

/** 1000-based like file managers on macOS; one decimal under 10. */
export function formatBytes(bytes: number | null | undefined): string {
  if (bytes == null || !Number.isFinite(bytes) || bytes < 0) return '–';
  let value = bytes;
  let unit = 0;
  while (value >= 1000 && unit < UNITS.length - 1) {
    value /= 1000;
    unit++;
  }
  const digits = unit === 0 || value >= 10 ? 0 : 1;
  return `${value.toFixed(digits)} ${UNITS[unit]}`;
}

export function formatPercent(fraction: number): string {
  const clamped = Math.min(1, Math.max(0, Number.isFinite(fraction) ? fraction : 0));
  return `${Math.floor(clamped * 100)} %`;
}

/** "just now", "5 min ago", "yesterday", else a date. `now` is injectable for tests. */
export function formatRelativeTime(epochMs: number, now: number = Date.now()): string {
  const diff = Math.max(0, now - epochMs) / 1000;
  if (diff < 45) return 'just now';
  if (diff < 3600) return `${Math.max(1, Math.round(diff / 60))} min ago`;
  if (diff < 86_400) return `${Math.round(diff / 3600)} h ago`;
  if (diff < 2 * 86_400) return 'yesterday';
  if (diff < 7 * 86_400) return `${Math.floor(diff / 86_400)} days ago`;
  return new Date(epochMs).toLocaleDateString(undefined, { year: 'numeric', month: 'short', day: 'numeric' });
}

/** Big combination counts: 1,234 or 3.2e+21 (the planner may report approximate huge numbers). */
export function formatCount(n: number): string {
  if (!Number.isFinite(n)) return '∞';
  if (n >= 1e15) return n.toExponential(1);
  return Math.round(n).toLocaleString('en-US');
}

export function plural(n: number, one: string, many = `${one}s`): string {
  return `${formatCount(n)} ${n === 1 ? one : many}`;
}
