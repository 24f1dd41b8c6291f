import { create } from 'zustand';
import { EMPTY_UNDO, pushUndo, takeRedo, takeUndo, type UndoEntry, type UndoState } from '../lib/undo.ts';
import { toast } from './toasts.ts';

interface UndoStore extends UndoState {
  /** An undo or redo is running or queued. */
  busy: boolean;
  record(entry: UndoEntry): void;
  /** Resolves once this press (and every press before it) has run. */
  undo(): Promise<void>;
  redo(): Promise<void>;
  clear(): void;
}

export const useUndo = create<UndoStore>((set, get) => {
  // Presses run one at a time in the order they came: a Ctrl+Shift+Z pressed while the undo before it is still
  // talking to the host waits its turn instead of being lost.
  let queue: Promise<void> = Promise.resolve();
  let pending = 0;
  // A failure or a clear() bumps the generation: presses queued behind it were meant for a stack that no longer
  // exists, so they are skipped rather than applied to whatever entry is now on top.
  let generation = 0;

  const step = async (take: typeof takeUndo, run: (e: UndoEntry) => unknown, verb: string) => {
    const { state, entry } = take(get());
    if (!entry) {
      toast.info(`Nothing to ${verb.toLowerCase()}`);
      return;
    }
    set(state);
    try {
      await run(entry);
      toast.info(`${verb}: ${entry.label}`);
    } catch (error) {
      // The board changed under the entry (e.g. another window): drop it rather than retry blindly.
      generation++;
      set((s) => ({ past: s.past.filter((e) => e !== entry), future: s.future.filter((e) => e !== entry) }));
      toast.error(error);
    }
  };

  const enqueue = (take: typeof takeUndo, run: (e: UndoEntry) => unknown, verb: string): Promise<void> => {
    const pressedIn = generation;
    const turn = () => (pressedIn === generation ? step(take, run, verb) : undefined);
    // When nothing is in flight the press starts now, so the stack moves before this returns.
    const started = pending === 0 ? Promise.resolve(turn()) : queue.then(turn);
    pending++;
    set({ busy: true });
    queue = started.finally(() => {
      pending--;
      if (pending === 0) set({ busy: false });
    });
    return queue;
  };

  return {
    ...EMPTY_UNDO,
    busy: false,
    record: (entry) => set((s) => pushUndo(s, entry)),
    undo: () => enqueue(takeUndo, (e) => e.undo(), 'Undo'),
    redo: () => enqueue(takeRedo, (e) => e.redo(), 'Redo'),
    clear: () => {
      generation++;
      set({ ...EMPTY_UNDO });
    },
  };
});
