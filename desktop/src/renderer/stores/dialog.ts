import { create } from 'zustand';

export interface ConfirmRequest {
  title: string;
  message: string;
  confirmLabel: string;
  danger?: boolean;
}

export interface PromptRequest {
  title: string;
  label: string;
  initial: string;
  confirmLabel: string;
  /** Default 120 (names); paths pass more. */
  maxLength?: number;
}

type Open =
  | { kind: 'confirm'; request: ConfirmRequest; resolve: (ok: boolean) => void }
  | { kind: 'prompt'; request: PromptRequest; resolve: (value: string | null) => void };

interface DialogState {
  open: Open | null;
  confirm(request: ConfirmRequest): Promise<boolean>;
  prompt(request: PromptRequest): Promise<string | null>;
  close(): void;
}

/** One modal at a time, awaited like window.confirm but styled and accessible. */
export const useDialog = create<DialogState>((set, get) => ({
  open: null,
  confirm(request) {
    get().close();
    return new Promise((resolve) => set({ open: { kind: 'confirm', request, resolve } }));
  },
  prompt(request) {
    get().close();
    return new Promise((resolve) => set({ open: { kind: 'prompt', request, resolve } }));
  },
  close() {
    const open = get().open;
    if (!open) return;
    set({ open: null });
    if (open.kind === 'confirm') open.resolve(false);
    else open.resolve(null);
  },
}));

/** Asks for a project's new name: the name, or null when cancelled or unchanged. */
export async function askProjectRename(current: string): Promise<string | null> {
  const name = await useDialog.getState().prompt({
    title: 'Rename project',
    label: 'Project name',
    initial: current,
    confirmLabel: 'Rename',
  });
  return name && name !== current ? name : null;
}
