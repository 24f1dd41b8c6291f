import type { CreditsStatus, LicenseStatus, SyncStatus } from '@vmp/shared/api';
import { create } from 'zustand';
import { api } from '../api/client.ts';
import { errorMessage } from '../api/errors.ts';
import { attempt, toast } from './toasts.ts';

const PROMPT_KEY = 'vmp.licensePrompt';

export interface Shortfall {
  projectId: string;
  needed: number;
  available: number;
}

interface LicensingState {
  license: LicenseStatus | null;
  credits: CreditsStatus | null;
  sync: SyncStatus | null;
  licenseOpen: boolean;
  firstRunOpen: boolean;
  /** Conflicts the user closed without choosing: not shown again until they change. */
  dismissedConflicts: string[];
  shortfall: Shortfall | null;
  activating: boolean;
  /** All three read from what the host has stored: no network wait. */
  load(): Promise<void>;
  activate(licenseKey: string): Promise<string | null>;
  deactivate(): Promise<void>;
  setServer(serverUrl: string): Promise<void>;
  buyCredits(): Promise<void>;
  syncNow(): Promise<void>;
  resolve(projectId: string, keep: 'mine' | 'theirs'): Promise<void>;
  dismissConflict(projectId: string): void;
  openLicense(open: boolean): void;
  skipFirstRun(): void;
  setShortfall(shortfall: Shortfall | null): void;
  onLicense(license: LicenseStatus): void;
  onCredits(credits: CreditsStatus): void;
  onSync(sync: SyncStatus): void;
}

function promptSeen(): boolean {
  try {
    return localStorage.getItem(PROMPT_KEY) === 'done';
  } catch {
    return true;
  }
}

export const useLicensing = create<LicensingState>((set, get) => ({
  license: null,
  credits: null,
  sync: null,
  licenseOpen: false,
  firstRunOpen: false,
  dismissedConflicts: [],
  shortfall: null,
  activating: false,
  async load() {
    const [license, credits, sync] = await Promise.all([
      attempt(() => api().call('license.status', {})),
      attempt(() => api().call('credits.status', {})),
      attempt(() => api().call('sync.status', {})),
    ]);
    set({
      ...(license ? { license } : {}),
      ...(credits ? { credits } : {}),
      ...(sync ? { sync } : {}),
      ...(license?.state === 'unlicensed' && !license.message && !promptSeen() ? { firstRunOpen: true } : {}),
    });
  },
  async activate(licenseKey) {
    set({ activating: true });
    try {
      const license = await api().call('license.activate', { licenseKey });
      set({ license, firstRunOpen: false });
      try {
        localStorage.setItem(PROMPT_KEY, 'done');
      } catch {}
      toast.success(`Activated: ${license.licenseType ?? 'license'} on this machine.`);
      void get().load();
      return null;
    } catch (error) {
      return errorMessage(error);
    } finally {
      set({ activating: false });
    }
  },
  async deactivate() {
    const license = await attempt(() => api().call('license.deactivate', {}));
    if (license) {
      set({ license });
      toast.info('This machine is deactivated; its seat is free.');
      void get().load();
    }
  },
  async setServer(serverUrl) {
    const license = await attempt(() => api().call('license.setServer', { serverUrl }));
    if (license) set({ license });
  },
  async buyCredits() {
    const res = await attempt(() => api().call('credits.checkoutUrl', { pack: 'starter' }));
    // Electron hands https:// pages to the system browser; the browser host opens a new tab.
    if (res) window.open(res.url, '_blank', 'noopener,noreferrer');
  },
  async syncNow() {
    const sync = await attempt(() => api().call('sync.now', {}));
    if (sync) set({ sync });
  },
  async resolve(projectId, keep) {
    const sync = await attempt(() => api().call('sync.resolve', { projectId, keep }));
    if (sync) {
      set({ sync });
      toast.success(keep === 'mine' ? 'Kept this machine’s version.' : 'Took the other machine’s version.');
    }
  },
  dismissConflict: (projectId) => set((s) => ({ dismissedConflicts: [...s.dismissedConflicts, projectId] })),
  openLicense: (licenseOpen) => set({ licenseOpen }),
  skipFirstRun() {
    try {
      localStorage.setItem(PROMPT_KEY, 'done');
    } catch {}
    set({ firstRunOpen: false });
  },
  setShortfall: (shortfall) => set({ shortfall }),
  onLicense: (license) => set({ license }),
  onCredits: (credits) => set({ credits }),
  onSync: (sync) => set({ sync }),
}));

/** Credits this plan costs against what can be spent, for the preview and the render button. */
export function affordability(
  cost: number,
  credits: CreditsStatus | null,
): { kind: 'free' } | { kind: 'unknown' } | { kind: 'ok'; available: number } | { kind: 'short'; available: number } {
  if (!credits?.licensed) return { kind: 'free' };
  if (credits.available === null) return { kind: 'unknown' };
  const available = Math.max(0, credits.available);
  return cost <= available ? { kind: 'ok', available } : { kind: 'short', available };
}
