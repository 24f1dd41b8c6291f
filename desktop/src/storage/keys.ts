import { ValidationError } from '@vmp/shared/errors';

/** A storage key: relative, '/'-separated, no empty, '.' or '..' segments, no backslashes or NUL. */
export function checkKey(key: string): string {
  const parts = key.split('/');
  if (
    !key ||
    key.startsWith('/') ||
    key.includes('\\') ||
    key.includes('\0') ||
    parts.some((p) => p === '' || p === '.' || p === '..')
  ) {
    throw new ValidationError(`"${key}" is not a storage key: use a relative path like "clips/ab12.mp4".`, {
      field: 'key',
    });
  }
  return key;
}

export type StorageLocation = { kind: 's3'; bucket: string; prefix: string } | { kind: 'local'; root: string };

/** s3://bucket[/prefix] or a folder (file:///abs/path or a path). */
export function parseStorageUrl(raw: string, field = '--storage'): StorageLocation {
  if (raw.startsWith('s3://')) {
    const rest = raw.slice(5);
    const slash = rest.indexOf('/');
    const bucket = slash < 0 ? rest : rest.slice(0, slash);
    const prefix = slash < 0 ? '' : rest.slice(slash + 1).replace(/\/+$/, '');
    if (!/^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/.test(bucket)) {
      throw new ValidationError(
        `${field}: "${bucket}" is not a bucket name (3-63 lower-case letters, digits, . or -).`,
        {
          field,
        },
      );
    }
    if (prefix) checkKey(prefix);
    return { kind: 's3', bucket, prefix };
  }
  if (raw.startsWith('file://')) return { kind: 'local', root: new URL(raw).pathname };
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(raw)) {
    throw new ValidationError(`${field} must be s3://bucket/prefix or a folder (got ${raw.split('://')[0]}://).`, {
      field,
    });
  }
  return { kind: 'local', root: raw };
}
