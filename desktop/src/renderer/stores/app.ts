import type { AppInfo } from '@vmp/shared/api';
import { create } from 'zustand';
import { api } from '../api/client.ts';
import { attempt } from './toasts.ts';

export type Screen = { name: 'projects' } | { name: 'project'; projectId: string };

interface AppState {
  info: AppInfo | null;
  connected: boolean;
  /** False until the first connection: the shell shows "connecting" rather than "disconnected". */
  everConnected: boolean;
  screen: Screen;
  shortcutsOpen: boolean;
  loadInfo(): Promise<void>;
  setConnected(connected: boolean): void;
  open(screen: Screen): void;
  setShortcutsOpen(open: boolean): void;
}

/** Screen in the URL hash so a reload lands where the user was. */
export function screenFromHash(hash: string): Screen {
  const m = /^#\/projects\/([^/]+)$/.exec(hash);
  return m?.[1] ? { name: 'project', projectId: decodeURIComponent(m[1]) } : { name: 'projects' };
}

export function hashForScreen(screen: Screen): string {
  return screen.name === 'project' ? `#/projects/${encodeURIComponent(screen.projectId)}` : '#/';
}

export const useApp = create<AppState>((set) => ({
  info: null,
  connected: false,
  everConnected: false,
  screen: typeof location === 'undefined' ? { name: 'projects' } : screenFromHash(location.hash),
  shortcutsOpen: false,
  async loadInfo() {
    const info = await attempt(() => api().call('app.info', {}));
    if (info) set({ info });
  },
  setConnected: (connected) => set((s) => ({ connected, everConnected: s.everConnected || connected })),
  open(screen) {
    if (typeof location !== 'undefined' && location.hash !== hashForScreen(screen))
      location.hash = hashForScreen(screen);
    set({ screen });
  },
  setShortcutsOpen: (shortcutsOpen) => set({ shortcutsOpen }),
}));
