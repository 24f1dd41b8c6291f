import { AppError } from '@vmp/shared/errors';

/** What `contentKey` returns: 64 lower-case hex digits. Anything else never names a cache file. */
export const CONTENT_HASH_PATTERN = /^[0-9a-f]{64}$/;

export function isContentHash(value: unknown): value is string {
  return typeof value === 'string' && CONTENT_HASH_PATTERN.test(value);
}

/** A content hash that is not one (a damaged record or a hostile farm job). */
export class BadContentHashError extends AppError {
  constructor(hash: string) {
    super(
      'BAD_CONTENT_HASH',
      `"${hash.slice(0, 80)}" is not a content hash (64 hex digits): re-import the clip so it is hashed again.`,
      { status: 422, details: { hash: hash.slice(0, 80) } },
    );
  }
}

/** The hash itself once it is one; else BadContentHashError. */
export function checkContentHash(hash: string): string {
  if (!isContentHash(hash)) throw new BadContentHashError(hash);
  return hash;
}
