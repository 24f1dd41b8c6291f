import { describe, expect, it } from 'vitest';
import { AppError } from '../errors.ts';
import {
  ActivationLimitError,
  ErrorBody,
  errorFromBody,
  HTTP_ERROR_STATUS,
  InsufficientCreditsError,
  VersionConflictError,
} from './errors.ts';

describe('HTTP errors', () => {
  it('serialise to the one wire shape with their stable code and status', () => {
    const error = new InsufficientCreditsError(5, 2);
    expect(error.status).toBe(HTTP_ERROR_STATUS.INSUFFICIENT_CREDITS);
    const body = { error: error.toJSON() };
    expect(ErrorBody.parse(body)).toEqual({
      error: {
        code: 'INSUFFICIENT_CREDITS',
        message: 'Not enough credits: 5 needed, 2 available.',
        details: { needed: 5, available: 2 },
      },
    });
    expect(new ActivationLimitError(3).status).toBe(403);
  });

  it('revive as the typed class on the client side', () => {
    const revived = errorFromBody(409, { error: new VersionConflictError(7).toJSON() });
    expect(revived).toBeInstanceOf(VersionConflictError);
    expect(revived).toBeInstanceOf(AppError);
    expect(revived).toMatchObject({ code: 'VERSION_CONFLICT', status: 409, details: { currentVersion: 7 } });
    const unknown = errorFromBody(418, { error: { code: 'TEAPOT', message: 'short and stout' } });
    expect(unknown.constructor).toBe(AppError);
    expect(unknown).toMatchObject({ code: 'TEAPOT', status: 418 });
    expect(errorFromBody(502, '<html>')).toMatchObject({ code: 'HTTP_ERROR', status: 502 });
  });
});
