import { parseStorageUrl } from './keys.ts';
import { LocalStorage } from './local.ts';
import { S3Storage } from './s3.ts';
import type { ObjectStorage } from './types.ts';

export { parseStorageUrl } from './keys.ts';
export type { ObjectStorage, StoredObject } from './types.ts';

/** The storage an URL names: s3://bucket/prefix (credentials from the AWS variables) or a folder. */
export function openStorage(url: string, env: NodeJS.ProcessEnv = process.env, field = '--storage'): ObjectStorage {
  const location = parseStorageUrl(url, field);
  if (location.kind === 's3') return new S3Storage({ bucket: location.bucket, prefix: location.prefix, env });
  return new LocalStorage(location.root);
}
