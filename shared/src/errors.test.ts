import { describe, expect, it } from 'vitest';
import { AppError, describeIssues, serializeError, ValidationError } from './errors.ts';

describe('errors', () => {
  it('serializes app errors with code, message and details', () => {
    const error = new ValidationError('count: must be at most 500', { field: 'count' });
    expect(error.status).toBe(422);
    expect(serializeError(error)).toEqual({
      code: 'VALIDATION_ERROR',
      message: 'count: must be at most 500',
      details: { field: 'count' },
    });
  });

  it('hides internals of unknown errors behind INTERNAL_ERROR', () => {
    expect(serializeError(new TypeError('boom')).code).toBe('INTERNAL_ERROR');
    expect(new AppError('X', 'y').status).toBe(500);
  });

  it('names each field in an issue list', () => {
    expect(
      describeIssues([
        { path: ['settings', 'count'], message: 'too big' },
        { path: [], message: 'bad' },
      ]),
    ).toBe('settings.count: too big; bad');
  });
});
