import { z } from 'zod';
import { AppError, NotFoundError, ValidationError } from '../errors.ts';

/** Stable error codes of the HTTP API and their statuses. */
export const HTTP_ERROR_STATUS = {
  VALIDATION_ERROR: 422,
  UNAUTHENTICATED: 401,
  BAD_SIGNATURE: 401,
  STALE_REQUEST: 401,
  REPLAYED_REQUEST: 409,
  FORBIDDEN: 403,
  NOT_FOUND: 404,
  CONFLICT: 409,
  ACTIVATION_LIMIT: 403,
  LICENSE_EXPIRED: 403,
  LICENSE_SUSPENDED: 403,
  LICENSE_REVOKED: 403,
  INSUFFICIENT_CREDITS: 402,
  VERSION_CONFLICT: 409,
  RESERVATION_CLOSED: 409,
  PAYLOAD_TOO_LARGE: 413,
  UNSUPPORTED_MEDIA_TYPE: 415,
  RATE_LIMITED: 429,
  INTERNAL_ERROR: 500,
  SERVICE_UNAVAILABLE: 503,
} as const;
export type HttpErrorCode = keyof typeof HTTP_ERROR_STATUS;

/** The one error shape every endpoint answers with. */
export const ErrorBody = z.object({
  error: z.object({ code: z.string(), message: z.string(), details: z.unknown().optional() }),
});
export type ErrorBody = z.infer<typeof ErrorBody>;

export { NotFoundError, ValidationError };

export class UnauthenticatedError extends AppError {
  constructor(message = 'Sign in first: a valid access token is required.', details?: unknown) {
    super('UNAUTHENTICATED', message, { status: 401, details });
  }
}
export class BadSignatureError extends AppError {
  constructor(message = 'The request signature does not match.', details?: unknown) {
    super('BAD_SIGNATURE', message, { status: 401, details });
  }
}
export class StaleRequestError extends AppError {
  constructor(message = 'The request timestamp is too far from the server clock; check the system time.') {
    super('STALE_REQUEST', message, { status: 401 });
  }
}
export class ReplayedRequestError extends AppError {
  constructor(message = 'This request nonce was already used.') {
    super('REPLAYED_REQUEST', message, { status: 409 });
  }
}
export class ForbiddenError extends AppError {
  constructor(message = 'You are not allowed to do this.', details?: unknown) {
    super('FORBIDDEN', message, { status: 403, details });
  }
}
export class ConflictError extends AppError {
  constructor(message: string, details?: unknown) {
    super('CONFLICT', message, { status: 409, details });
  }
}
export class ActivationLimitError extends AppError {
  constructor(maxActivations: number) {
    super('ACTIVATION_LIMIT', `This license is active on ${maxActivations} machine(s) already; deactivate one first.`, {
      status: 403,
      details: { maxActivations },
    });
  }
}
export class LicenseExpiredError extends AppError {
  constructor(expiresAt?: string) {
    super('LICENSE_EXPIRED', 'This license has expired.', { status: 403, details: { expiresAt } });
  }
}
export class LicenseSuspendedError extends AppError {
  constructor() {
    super('LICENSE_SUSPENDED', 'This license is suspended; contact support.', { status: 403 });
  }
}
export class LicenseRevokedError extends AppError {
  constructor() {
    super('LICENSE_REVOKED', 'This license has been revoked.', { status: 403 });
  }
}
export class InsufficientCreditsError extends AppError {
  constructor(needed: number, available: number) {
    super('INSUFFICIENT_CREDITS', `Not enough credits: ${needed} needed, ${available} available.`, {
      status: 402,
      details: { needed, available },
    });
  }
}
export class VersionConflictError extends AppError {
  constructor(currentVersion: number | null, details: Record<string, unknown> = {}) {
    super('VERSION_CONFLICT', 'The document changed since you read it; pull the latest version and retry.', {
      status: 409,
      details: { currentVersion, ...details },
    });
  }
}
export class ReservationClosedError extends AppError {
  constructor(status: string) {
    super('RESERVATION_CLOSED', `This reservation is ${status} and cannot change any more.`, {
      status: 409,
      details: { status },
    });
  }
}
export class PayloadTooLargeError extends AppError {
  constructor(limit: number) {
    super('PAYLOAD_TOO_LARGE', `Request bodies are limited to ${limit} bytes.`, { status: 413, details: { limit } });
  }
}
export class RateLimitedError extends AppError {
  constructor(retryAfterSeconds?: number) {
    super('RATE_LIMITED', 'Too many requests; slow down and retry later.', {
      status: 429,
      details: { retryAfterSeconds },
    });
  }
}
export class ServiceUnavailableError extends AppError {
  constructor(message: string) {
    super('SERVICE_UNAVAILABLE', message, { status: 503 });
  }
}

// biome-ignore lint/suspicious/noExplicitAny: constructors with differing parameters
type ErrorClass = abstract new (...args: any[]) => AppError;
const ERROR_CLASSES: Record<string, ErrorClass> = {
  VALIDATION_ERROR: ValidationError,
  NOT_FOUND: NotFoundError,
  UNAUTHENTICATED: UnauthenticatedError,
  BAD_SIGNATURE: BadSignatureError,
  STALE_REQUEST: StaleRequestError,
  REPLAYED_REQUEST: ReplayedRequestError,
  FORBIDDEN: ForbiddenError,
  CONFLICT: ConflictError,
  ACTIVATION_LIMIT: ActivationLimitError,
  LICENSE_EXPIRED: LicenseExpiredError,
  LICENSE_SUSPENDED: LicenseSuspendedError,
  LICENSE_REVOKED: LicenseRevokedError,
  INSUFFICIENT_CREDITS: InsufficientCreditsError,
  VERSION_CONFLICT: VersionConflictError,
  RESERVATION_CLOSED: ReservationClosedError,
  PAYLOAD_TOO_LARGE: PayloadTooLargeError,
  RATE_LIMITED: RateLimitedError,
  SERVICE_UNAVAILABLE: ServiceUnavailableError,
};

/** Rebuilds a typed error from a response body, so clients can use `instanceof` on the classes above. */
export function errorFromBody(status: number, body: unknown): AppError {
  const parsed = ErrorBody.safeParse(body);
  if (!parsed.success) return new AppError('HTTP_ERROR', `Unexpected HTTP ${status} response.`, { status });
  const { code, message, details } = parsed.data.error;
  const error = new AppError(code, message, { status, details });
  const cls = ERROR_CLASSES[code];
  if (cls) {
    Object.setPrototypeOf(error, cls.prototype);
    error.name = cls.name;
  }
  return error;
}
