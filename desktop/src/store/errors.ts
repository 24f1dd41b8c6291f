import { AppError } from '@vmp/shared/errors';

export { NotFoundError, ValidationError } from '@vmp/shared/errors';

/** The request is valid but the current state forbids it (e.g. cancelling a finished output). */
export class ConflictError extends AppError {
  constructor(message: string, details?: unknown) {
    super('CONFLICT', message, { status: 409, details });
  }
}
