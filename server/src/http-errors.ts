import { AppError, ValidationError } from '@vmp/shared/errors';
import { PayloadTooLargeError, RateLimitedError } from '@vmp/shared/http';
import type { FastifyError } from 'fastify';
import { hasZodFastifySchemaValidationErrors } from 'fastify-type-provider-zod';

/** Maps anything thrown by a route or by Fastify to an AppError with a stable code. */
export function toAppError(error: unknown, bodyLimit: number): AppError {
  if (error instanceof AppError) return error;
  if (hasZodFastifySchemaValidationErrors(error)) {
    const issues = error.validation.map((v) => ({
      path: `${error.validationContext ?? 'body'}${v.instancePath.replaceAll('/', '.')}`,
      message: v.message ?? 'invalid',
    }));
    const summary = issues.map((i) => `${i.path}: ${i.message}`).join('; ');
    return new ValidationError(`Invalid request: ${summary}`, { issues });
  }
  const fe = error as Partial<FastifyError>;
  switch (fe.code) {
    case 'FST_ERR_CTP_BODY_TOO_LARGE':
      return new PayloadTooLargeError(bodyLimit);
    case 'FST_ERR_CTP_INVALID_MEDIA_TYPE':
      return new AppError('UNSUPPORTED_MEDIA_TYPE', 'Send JSON (Content-Type: application/json).', { status: 415 });
    case 'FST_ERR_CTP_INVALID_CONTENT_LENGTH':
    case 'FST_ERR_CTP_EMPTY_JSON_BODY':
      return new ValidationError('The request body is malformed.');
  }
  if (fe.statusCode === 429) return new RateLimitedError();
  if (typeof fe.statusCode === 'number' && fe.statusCode >= 400 && fe.statusCode < 500) {
    return new AppError('BAD_REQUEST', fe.message ?? 'Bad request.', { status: fe.statusCode });
  }
  return new AppError('INTERNAL_ERROR', 'Something went wrong on the server; try again later.', { status: 500 });
}
