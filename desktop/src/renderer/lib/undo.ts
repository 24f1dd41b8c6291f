/** One reversible edit. `undo`/`redo` talk to the host; they may throw, and then the entry is dropped. */
export interface UndoEntry {
  label: string;
  undo: () => Promise<unknown> | unknown;
  redo: () => Promise<unknown> | unknown;
}

export interface UndoState {
  past: UndoEntry[];
  future: UndoEntry[];
}

export const EMPTY_UNDO: UndoState = { past: [], future: [] };
export const UNDO_LIMIT = 50;

/** A new edit clears the redo branch; the oldest entries fall off past the limit. */
export function pushUndo(state: UndoState, entry: UndoEntry, limit = UNDO_LIMIT): UndoState {
  const past = [...state.past, entry];
  return { past: past.slice(Math.max(0, past.length - limit)), future: [] };
}

export function takeUndo(state: UndoState): { state: UndoState; entry: UndoEntry | null } {
  const entry = state.past.at(-1);
  if (!entry) return { state, entry: null };
  return { state: { past: state.past.slice(0, -1), future: [...state.future, entry] }, entry };
}

export function takeRedo(state: UndoState): { state: UndoState; entry: UndoEntry | null } {
  const entry = state.future.at(-1);
  if (!entry) return { state, entry: null };
  return { state: { past: [...state.past, entry], future: state.future.slice(0, -1) }, entry };
}
