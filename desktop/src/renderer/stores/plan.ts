import type { PlanPreview } from '@vmp/shared/api';
import { create } from 'zustand';
import { api } from '../api/client.ts';
import { errorMessage } from '../api/errors.ts';

export const PREVIEW_ROWS = 50;

interface PlanState {
  preview: PlanPreview | null;
  loading: boolean;
  error: string | null;
  refresh(projectId: string): Promise<void>;
  /** The project changed and a new plan is coming: show the old one as stale meanwhile. */
  markStale(): void;
  clear(): void;
}

export const usePlan = create<PlanState>((set) => {
  let seq = 0;
  return {
    preview: null,
    loading: false,
    error: null,
    async refresh(projectId) {
      const mine = ++seq;
      set({ loading: true });
      try {
        const preview = await api().call('plan.preview', { projectId, limit: PREVIEW_ROWS });
        // Only the newest request wins: settings change faster than plans come back.
        if (mine === seq) set({ preview, error: null, loading: false });
      } catch (error) {
        if (mine === seq) set({ error: errorMessage(error), loading: false });
      }
    },
    markStale: () => set({ loading: true }),
    clear() {
      seq++;
      set({ preview: null, loading: false, error: null });
    },
  };
});
