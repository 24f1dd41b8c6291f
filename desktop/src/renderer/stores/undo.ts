import { create } from 'zustand';
import { EMPTY_UNDO, pushUndo, takeRedo, takeUndo, type UndoEntry, type UndoState } from '../lib/undo.ts';
import { toast } from './toasts.ts';

interface UndoStore extends UndoState {
  busy: boolean;
  record(entry: UndoEntry): void;
  undo(): Promise<void>;
  redo(): Promise<void>;
  clear(): void;
}

export const useUndo = create<UndoStore>((set, get) => {
  // One step at a time: a second Ctrl+Z while the first is still talking to the host waits its turn.
  const step = async (take: typeof takeUndo, run: (e: UndoEntry) => unknown, verb: string) => {
    if (get().busy) return;
    const { state, entry } = take(get());
    if (!entry) {
      toast.info(`Nothing to ${verb.toLowerCase()}`);
      return;
    }
    set({ ...state, busy: true });
    try {
      await run(entry);
      toast.info(`${verb}: ${entry.label}`);
    } catch (error) {
      // The board changed under the entry (e.g. another window): drop it rather than retry blindly.
      set((s) => ({ past: s.past.filter((e) => e !== entry), future: s.future.filter((e) => e !== entry) }));
      toast.error(error);
    } finally {
      set({ busy: false });
    }
  };
  return {
    ...EMPTY_UNDO,
    busy: false,
    record: (entry) => set((s) => pushUndo(s, entry)),
    undo: () => step(takeUndo, (e) => e.undo(), 'Undo'),
    redo: () => step(takeRedo, (e) => e.redo(), 'Redo'),
    clear: () => set({ ...EMPTY_UNDO }),
  };
});
