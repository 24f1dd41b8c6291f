import { create } from 'zustand';
import { errorMessage } from '../api/errors.ts';

export type ToastKind = 'info' | 'success' | 'warning' | 'error';

export interface Toast {
  id: number;
  kind: ToastKind;
  message: string;
  action?: { label: string; run: () => void };
}

interface ToastState {
  toasts: Toast[];
  push(kind: ToastKind, message: string, action?: Toast['action']): number;
  dismiss(id: number): void;
}

let nextId = 1;
// Errors stay up longer: they name the file or field and users read them.
const LIFETIME: Record<ToastKind, number> = { info: 3000, success: 3500, warning: 7000, error: 9000 };
/** A toast that offers an action (Undo) stays long enough to reach it. */
const ACTION_LIFETIME = 6000;

export const useToasts = create<ToastState>((set, get) => ({
  toasts: [],
  push(kind, message, action) {
    const id = nextId++;
    set((s) => ({
      toasts: [...s.toasts.filter((t) => t.message !== message), { id, kind, message, action }].slice(-3),
    }));
    setTimeout(() => get().dismiss(id), action ? Math.max(ACTION_LIFETIME, LIFETIME[kind]) : LIFETIME[kind]);
    return id;
  },
  dismiss(id) {
    set((s) => ({ toasts: s.toasts.filter((t) => t.id !== id) }));
  },
}));

export const toast = {
  info: (message: string, action?: Toast['action']) => useToasts.getState().push('info', message, action),
  success: (message: string, action?: Toast['action']) => useToasts.getState().push('success', message, action),
  warning: (message: string) => useToasts.getState().push('warning', message),
  error: (error: unknown) => useToasts.getState().push('error', errorMessage(error)),
};

/** Run an action, show its error as a toast, and return undefined on failure. */
export async function attempt<T>(run: () => Promise<T>): Promise<T | undefined> {
  try {
    return await run();
  } catch (error) {
    toast.error(error);
    return undefined;
  }
}
