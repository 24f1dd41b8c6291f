import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';

export interface Rect {
  x: number;
  y: number;
  width: number;
  height: number;
}

export interface WindowState {
  bounds: Rect;
  maximized: boolean;
}

export interface WindowDefaults {
  width: number;
  height: number;
  minWidth: number;
  minHeight: number;
}

/** The BrowserWindow methods and events the store needs (a real BrowserWindow fits). */
export interface TrackedWindow {
  getNormalBounds(): Rect;
  isMaximized(): boolean;
  isDestroyed(): boolean;
  on(event: 'resize' | 'move' | 'maximize' | 'unmaximize' | 'close', listener: () => void): unknown;
}

const isRect = (value: unknown): value is Rect =>
  !!value &&
  typeof value === 'object' &&
  ['x', 'y', 'width', 'height'].every((k) => Number.isFinite((value as Record<string, unknown>)[k]));

function overlap(a: Rect, b: Rect): number {
  const w = Math.min(a.x + a.width, b.x + b.width) - Math.max(a.x, b.x);
  const h = Math.min(a.y + a.height, b.y + b.height) - Math.max(a.y, b.y);
  return w > 0 && h > 0 ? w * h : 0;
}

/**
 * Where to open the window: the saved bounds if enough of them (a title bar's worth) is on a display that exists now,
 * shrunk to fit that display; otherwise the default size, centred by Electron (no x/y).
 */
export function restoreBounds(
  saved: WindowState | null,
  workAreas: readonly Rect[],
  defaults: WindowDefaults,
): { bounds: Partial<Rect> & { width: number; height: number }; maximized: boolean } {
  const fallback = { bounds: { width: defaults.width, height: defaults.height }, maximized: false };
  if (!saved || !isRect(saved.bounds)) return fallback;
  const b = saved.bounds;
  const titleBar: Rect = { x: b.x, y: b.y, width: b.width, height: Math.min(40, b.height) };
  const area = workAreas.find((a) => overlap(titleBar, a) >= Math.min(titleBar.width, 100) * titleBar.height * 0.5);
  if (!area) return { ...fallback, maximized: saved.maximized === true };
  const width = Math.max(defaults.minWidth, Math.min(b.width, area.width));
  const height = Math.max(defaults.minHeight, Math.min(b.height, area.height));
  const x = Math.min(Math.max(b.x, area.x), area.x + area.width - width);
  const y = Math.min(Math.max(b.y, area.y), area.y + area.height - height);
  return { bounds: { x, y, width, height }, maximized: saved.maximized === true };
}

export function readWindowState(file: string): WindowState | null {
  try {
    const parsed = JSON.parse(readFileSync(file, 'utf8')) as Partial<WindowState>;
    return isRect(parsed.bounds) ? { bounds: parsed.bounds, maximized: parsed.maximized === true } : null;
  } catch {
    return null; // missing or damaged: open at the default size
  }
}

export function writeWindowState(file: string, state: WindowState): void {
  mkdirSync(dirname(file), { recursive: true });
  const tmp = `${file}.${process.pid}.tmp`;
  writeFileSync(tmp, JSON.stringify(state));
  renameSync(tmp, file);
}

/** Saves the window's normal (un-maximised) bounds and maximised flag, debounced, and once more on close. */
export function trackWindowState(
  win: TrackedWindow,
  file: string,
  options: { delayMs?: number; onError?: (error: unknown) => void } = {},
): () => void {
  let timer: ReturnType<typeof setTimeout> | null = null;
  const save = () => {
    timer = null;
    if (win.isDestroyed()) return;
    try {
      writeWindowState(file, { bounds: win.getNormalBounds(), maximized: win.isMaximized() });
    } catch (error) {
      options.onError?.(error);
    }
  };
  const schedule = () => {
    if (timer) clearTimeout(timer);
    timer = setTimeout(save, options.delayMs ?? 500);
  };
  for (const event of ['resize', 'move', 'maximize', 'unmaximize'] as const) win.on(event, schedule);
  win.on('close', () => {
    if (timer) clearTimeout(timer);
    save();
  });
  return () => {
    if (timer) clearTimeout(timer);
    timer = null;
  };
}
