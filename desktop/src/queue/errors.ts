import { AppError } from '@vmp/shared/errors';

/** The engine's CancelledError (code CANCELLED), also after crossing a thread or a process boundary. */
export function isCancellation(error: unknown): boolean {
  return error instanceof AppError && error.code === 'CANCELLED';
}

export function errorText(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
