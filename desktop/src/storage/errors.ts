import { AppError } from '@vmp/shared/errors';

export class StorageNotFoundError extends AppError {
  constructor(where: string, cause?: unknown) {
    super('STORAGE_NOT_FOUND', `${where} does not exist. Check the bucket name, the prefix and the key.`, {
      status: 404,
      details: { where },
      cause,
    });
  }
}

export class StorageForbiddenError extends AppError {
  constructor(where: string, cause?: unknown) {
    super(
      'STORAGE_FORBIDDEN',
      `Access to ${where} was refused (403). Check the credentials (AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY or AWS_PROFILE) and that they may read and write this bucket.`,
      { status: 403, details: { where }, cause },
    );
  }
}

export class StorageError extends AppError {
  constructor(message: string, cause?: unknown) {
    super('STORAGE_ERROR', message, { status: 502, cause });
  }
}
