import { create } from 'zustand';
import { api } from '../api/client.ts';

/**
 * The farm storage setting as the gallery needs it (is there a bucket to share links from?): read once, updated
 * by the settings field when it commits.
 */
export const useShareStorage = create<{ url: string | null | undefined; loading: boolean; load(): void }>(
  (set, get) => ({
    url: undefined,
    loading: false,
    load() {
      if (get().url !== undefined || get().loading) return;
      set({ loading: true });
      // No API (a component rendered on its own) or no answer: no bucket, no Share link.
      Promise.resolve()
        .then(() => api().call('app.getSettings', {}))
        .then(
          (s) => set({ url: s.farmStorageUrl ?? null, loading: false }),
          () => set({ url: null, loading: false }),
        );
    },
  }),
);
