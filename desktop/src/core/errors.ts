import { AppError } from '@vmp/shared/errors';

export { ConflictError, NotFoundError, ValidationError } from '../store/errors.ts';

/** This transport cannot do that (native dialogs in a browser, reveal on a headless host). */
export class UnsupportedError extends AppError {
  constructor(message: string, details?: unknown) {
    super('UNSUPPORTED', message, { status: 501, details });
  }
}

/** Opening or revealing a file failed; the message gives the path so the user can find it by hand. */
export class PlatformError extends AppError {
  constructor(message: string, details?: unknown) {
    super('PLATFORM_ERROR', message, { status: 500, details });
  }
}
