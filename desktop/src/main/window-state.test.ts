import { EventEmitter } from 'node:events';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { type Rect, readWindowState, restoreBounds, type TrackedWindow, trackWindowState } from './window-state.ts';

const defaults = { width: 1280, height: 820, minWidth: 960, minHeight: 600 };
const screen: Rect = { x: 0, y: 0, width: 1920, height: 1080 };
const dirs: string[] = [];
const tempFile = () => {
  const dir = mkdtempSync(join(tmpdir(), 'vmp-window-'));
  dirs.push(dir);
  return join(dir, 'window-state.json');
};
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

/** A BrowserWindow stand-in: an EventEmitter with the getters the store reads. */
class FakeWindow extends EventEmitter implements TrackedWindow {
  bounds: Rect = { x: 100, y: 50, width: 1200, height: 800 };
  maximized = false;
  destroyed = false;
  getNormalBounds = () => ({ ...this.bounds });
  isMaximized = () => this.maximized;
  isDestroyed = () => this.destroyed;
}

describe('restoreBounds', () => {
  it('uses the default size, centred, when nothing was saved', () => {
    expect(restoreBounds(null, [screen], defaults)).toEqual({ bounds: { width: 1280, height: 820 }, maximized: false });
  });

  it('restores saved bounds and the maximised flag on a display that still exists', () => {
    const saved = { bounds: { x: 200, y: 100, width: 1000, height: 700 }, maximized: true };
    expect(restoreBounds(saved, [screen], defaults)).toEqual({ bounds: saved.bounds, maximized: true });
  });

  it('falls back to the default when the saved display is gone (window would open off-screen)', () => {
    const saved = { bounds: { x: 2500, y: 100, width: 1000, height: 700 }, maximized: false };
    expect(restoreBounds(saved, [screen], defaults).bounds).toEqual({ width: 1280, height: 820 });
  });

  it('shrinks and moves a window bigger than its display into it, but not below the minimum size', () => {
    const laptop: Rect = { x: 0, y: 0, width: 1366, height: 740 };
    const saved = { bounds: { x: 300, y: 10, width: 1800, height: 1000 }, maximized: false };
    expect(restoreBounds(saved, [laptop], defaults).bounds).toEqual({ x: 0, y: 0, width: 1366, height: 740 });
    const tiny = { bounds: { x: 10, y: 10, width: 200, height: 100 }, maximized: false };
    expect(restoreBounds(tiny, [laptop], defaults).bounds).toMatchObject({ width: 960, height: 600 });
  });
});

describe('window state store', () => {
  it('saves the normal bounds after moves (debounced) and on close, and reads them back', async () => {
    const file = tempFile();
    const win = new FakeWindow();
    trackWindowState(win, file, { delayMs: 10 });
    win.bounds = { x: 10, y: 20, width: 1100, height: 700 };
    win.emit('move');
    win.emit('resize');
    await new Promise((r) => setTimeout(r, 50));
    expect(readWindowState(file)).toEqual({ bounds: { x: 10, y: 20, width: 1100, height: 700 }, maximized: false });

    win.maximized = true;
    win.emit('close');
    expect(JSON.parse(readFileSync(file, 'utf8'))).toMatchObject({ maximized: true });
  });

  it('treats a missing or damaged file as nothing saved', () => {
    const file = tempFile();
    expect(readWindowState(file)).toBeNull();
    writeFileSync(file, '{"bounds": {"x": "left"}');
    expect(readWindowState(file)).toBeNull();
    writeFileSync(file, JSON.stringify({ bounds: { x: 1, y: 2, width: 'wide', height: 3 } }));
    expect(readWindowState(file)).toBeNull();
  });

  it('reports a failed save instead of throwing from a window event', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'vmp-window-'));
    dirs.push(dir);
    writeFileSync(join(dir, 'not-a-dir'), '');
    const errors: unknown[] = [];
    const win = new FakeWindow();
    trackWindowState(win, join(dir, 'not-a-dir', 'state.json'), { delayMs: 1, onError: (e) => errors.push(e) });
    expect(() => win.emit('close')).not.toThrow();
    expect(errors).toHaveLength(1);
  });
});
