import { AppError } from '@vmp/shared/errors';

export type FarmJobRefusal =
  /** No signature: made by something other than the app (or an app from before jobs were signed). */
  | 'FARM_JOB_UNSIGNED'
  /** The signature does not match the job: changed after it was signed. */
  | 'FARM_JOB_ALTERED'
  /** Signed, but a value is outside what a render job may hold. */
  | 'FARM_JOB_INVALID'
  /** A clip on the shared folder is not the clip the job names (its content hash differs). */
  | 'FARM_SOURCE_MISMATCH';

/** A worker will not run this job, whichever worker takes it: not retried. The message says what to do. */
export class FarmJobRefusedError extends AppError {
  constructor(code: FarmJobRefusal, message: string, details?: Record<string, unknown>) {
    super(code, message, { status: 422, ...(details ? { details } : {}) });
  }
}
