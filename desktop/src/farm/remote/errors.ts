import { AppError } from '@vmp/shared/errors';

/**
 * This worker cannot take a job of this kind (another worker may): a bucket job on a shared-folder worker, a
 * shared-folder job on a bucket-only worker, or a job for another bucket. Retried, not refused.
 */
export class FarmStorageMismatchError extends AppError {
  constructor(message: string, details: Record<string, unknown> = {}) {
    super('FARM_STORAGE_MISMATCH', message, { status: 409, details });
  }
}
