import type { Readable } from 'node:stream';

export interface StoredObject {
  key: string;
  size: number;
}

/**
 * Where a farm's clips and outputs live when there is no shared folder: a local folder or an S3-compatible bucket.
 * Keys are relative, '/'-separated, under the storage's own prefix.
 */
export interface ObjectStorage {
  /** s3://bucket/prefix or file:///folder: never credentials. */
  readonly url: string;
  /** Streams `body` to `key` (multipart on S3 for large bodies). */
  put(key: string, body: Readable | Buffer, options?: { contentType?: string }): Promise<StoredObject>;
  putFile(key: string, path: string, options?: { contentType?: string }): Promise<StoredObject>;
  get(key: string): Promise<Readable>;
  /** Downloads to `path` through `path.part`, checks the size, then renames. */
  getToFile(key: string, path: string): Promise<StoredObject>;
  /** Size of `key`, or null when it is absent. */
  stat(key: string): Promise<StoredObject | null>;
  exists(key: string): Promise<boolean>;
  /** A link anyone can download `key` with until it expires (local folders: a file:// URL, no expiry). */
  presign(key: string, expiresInSeconds: number): Promise<string>;
  delete(key: string): Promise<void>;
  list(prefix?: string): AsyncIterable<StoredObject>;
}
