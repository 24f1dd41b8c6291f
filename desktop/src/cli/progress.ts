/** Progress on stderr: a redrawn bar with ETA on a terminal, plain lines (at most one per step) otherwise. */

export function formatDuration(seconds: number): string {
  if (!Number.isFinite(seconds) || seconds < 0) return '--';
  const s = Math.round(seconds);
  if (s < 60) return `${s}s`;
  const m = Math.floor(s / 60);
  if (m < 60) return `${m}m ${String(s % 60).padStart(2, '0')}s`;
  return `${Math.floor(m / 60)}h ${String(m % 60).padStart(2, '0')}m`;
}

export function progressBar(fraction: number, width: number): string {
  const f = Math.min(1, Math.max(0, fraction));
  const filled = Math.round(f * width);
  return `[${'#'.repeat(filled)}${'.'.repeat(width - filled)}]`;
}

export interface ProgressState {
  label: string;
  fraction: number;
  done: number;
  total: number;
  etaSeconds: number | null;
  /** No ETA yet because none can be measured (no output finished): say "estimating…" rather than nothing. */
  estimating?: boolean;
}

function etaText(state: ProgressState): string | null {
  if (state.etaSeconds !== null) return formatDuration(state.etaSeconds);
  return state.estimating ? 'estimating…' : null;
}

export function progressLine(state: ProgressState, columns = 80): string {
  const pct = `${String(Math.floor(state.fraction * 100)).padStart(3)}%`;
  const counts = `${state.done}/${state.total}`;
  const eta = etaText(state) === null ? '' : ` ETA ${etaText(state)}`;
  const text = ` ${pct} ${state.label} ${counts}${eta}`;
  const barWidth = Math.max(10, Math.min(40, columns - text.length - 3));
  return `${progressBar(state.fraction, barWidth)}${text}`.slice(0, Math.max(20, columns - 1));
}

export interface ProgressReporter {
  update(state: ProgressState): void;
  /** Ends the bar (newline on a terminal). */
  finish(): void;
}

export function createProgressReporter(
  stream: NodeJS.WritableStream & { isTTY?: boolean; columns?: number },
): ProgressReporter {
  const tty = Boolean(stream.isTTY);
  let lastKey = '';
  let lastDraw = 0;
  let drawn = false;
  return {
    update(state) {
      if (tty) {
        const now = Date.now();
        // Redraw at most ~10 times a second, but always show a finished step.
        if (now - lastDraw < 100 && state.done < state.total) return;
        lastDraw = now;
        stream.write(`\r\x1b[2K${progressLine(state, stream.columns ?? 80)}`);
        drawn = true;
        return;
      }
      // Logs: one line per completed item, plus one per 10 % while an item is long.
      const key = `${state.label}:${state.done}:${Math.floor(state.fraction * 10)}:${etaText(state) === null}`;
      if (key === lastKey) return;
      lastKey = key;
      const eta = etaText(state) === null ? '' : `, ETA ${etaText(state)}`;
      stream.write(`${state.label} ${state.done}/${state.total} (${Math.floor(state.fraction * 100)}%${eta})\n`);
    },
    finish() {
      if (tty && drawn) stream.write('\n');
      drawn = false;
      lastKey = '';
    },
  };
}
