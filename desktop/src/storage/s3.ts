import { createReadStream, createWriteStream } from 'node:fs';
import { mkdir, rename, rm, stat } from 'node:fs/promises';
import { dirname } from 'node:path';
import type { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import {
  DeleteObjectCommand,
  GetObjectCommand,
  HeadBucketCommand,
  HeadObjectCommand,
  paginateListObjectsV2,
  S3Client,
  type S3ClientConfig,
} from '@aws-sdk/client-s3';
import { Upload } from '@aws-sdk/lib-storage';
import { getSignedUrl } from '@aws-sdk/s3-request-presigner';
import { StorageError, StorageForbiddenError, StorageNotFoundError } from './errors.ts';
import { checkKey } from './keys.ts';
import type { ObjectStorage, StoredObject } from './types.ts';

/**
 * The S3 client from the standard AWS variables: AWS_ENDPOINT_URL(_S3) for MinIO, R2 and the like (path-style
 * addressing unless AWS_S3_FORCE_PATH_STYLE=false), AWS_REGION (default us-east-1), AWS_ACCESS_KEY_ID and
 * AWS_SECRET_ACCESS_KEY (+ AWS_SESSION_TOKEN) or else the SDK's chain (AWS_PROFILE, ~/.aws, instance roles),
 * AWS_MAX_ATTEMPTS (default 4; the SDK backs off between attempts).
 */
export function s3ClientFromEnv(env: NodeJS.ProcessEnv = process.env): S3Client {
  const endpoint = env.AWS_ENDPOINT_URL_S3 || env.AWS_ENDPOINT_URL || undefined;
  const config: S3ClientConfig = {
    region: env.AWS_REGION || env.AWS_DEFAULT_REGION || 'us-east-1',
    maxAttempts: Number(env.AWS_MAX_ATTEMPTS) || 4,
    retryMode: 'standard',
  };
  if (endpoint) {
    config.endpoint = endpoint;
    config.forcePathStyle = env.AWS_S3_FORCE_PATH_STYLE !== 'false';
    // Not every S3-compatible server takes the SDK's default trailing checksums.
    config.requestChecksumCalculation = 'WHEN_REQUIRED';
    config.responseChecksumValidation = 'WHEN_REQUIRED';
  } else if (env.AWS_S3_FORCE_PATH_STYLE === 'true') {
    config.forcePathStyle = true;
  }
  if (env.AWS_ACCESS_KEY_ID && env.AWS_SECRET_ACCESS_KEY) {
    config.credentials = {
      accessKeyId: env.AWS_ACCESS_KEY_ID,
      secretAccessKey: env.AWS_SECRET_ACCESS_KEY,
      ...(env.AWS_SESSION_TOKEN ? { sessionToken: env.AWS_SESSION_TOKEN } : {}),
    };
  }
  return new S3Client(config);
}

interface SdkError {
  name?: string;
  message?: string;
  $metadata?: { httpStatusCode?: number };
}

function storageError(error: unknown, where: string): Error {
  const e = error as SdkError;
  const status = e.$metadata?.httpStatusCode;
  if (status === 404 || e.name === 'NoSuchKey' || e.name === 'NotFound' || e.name === 'NoSuchBucket') {
    return new StorageNotFoundError(where, error);
  }
  if (status === 403 || e.name === 'AccessDenied' || e.name === 'Forbidden')
    return new StorageForbiddenError(where, error);
  return new StorageError(`${where}: ${e.name ?? 'error'}: ${e.message ?? String(error)}`, error);
}

const isClientError = (error: unknown) => {
  const status = (error as { status?: number }).status;
  return status === 403 || status === 404;
};

export interface S3StorageOptions {
  bucket: string;
  prefix?: string;
  client?: S3Client;
  env?: NodeJS.ProcessEnv;
  /** Multipart part size (at least 5 MiB); bodies up to one part go in one PUT. */
  partSize?: number;
  /** Whole-download attempts of getToFile (the SDK retries each request on its own too). */
  downloadAttempts?: number;
}

export class S3Storage implements ObjectStorage {
  readonly url: string;
  readonly bucket: string;
  private readonly prefix: string;
  private readonly client: S3Client;
  private readonly partSize: number;
  private readonly downloadAttempts: number;

  constructor(options: S3StorageOptions) {
    this.bucket = options.bucket;
    this.prefix = options.prefix ? `${options.prefix.replace(/\/+$/, '')}/` : '';
    this.client = options.client ?? s3ClientFromEnv(options.env);
    this.partSize = Math.max(5 * 1024 * 1024, options.partSize ?? 8 * 1024 * 1024);
    this.downloadAttempts = options.downloadAttempts ?? 3;
    this.url = `s3://${this.bucket}${this.prefix ? `/${this.prefix.slice(0, -1)}` : ''}`;
  }

  private key(key: string): string {
    return this.prefix + checkKey(key);
  }

  private where(key: string): string {
    return `s3://${this.bucket}/${this.key(key)}`;
  }

  async put(key: string, body: Readable | Buffer, options: { contentType?: string } = {}): Promise<StoredObject> {
    try {
      const upload = new Upload({
        client: this.client,
        params: {
          Bucket: this.bucket,
          Key: this.key(key),
          Body: body,
          ...(options.contentType ? { ContentType: options.contentType } : {}),
        },
        partSize: this.partSize,
        queueSize: 2,
        leavePartsOnError: false,
      });
      await upload.done();
    } catch (error) {
      throw storageError(error, this.where(key));
    }
    const stored = await this.stat(key);
    if (!stored) throw new StorageError(`${this.where(key)} is missing right after its upload.`);
    return stored;
  }

  async putFile(key: string, path: string, options: { contentType?: string } = {}): Promise<StoredObject> {
    const { size } = await stat(path);
    const stored = await this.put(key, createReadStream(path), options);
    if (stored.size !== size) {
      throw new StorageError(`${this.where(key)} holds ${stored.size} bytes after uploading ${size} from ${path}.`);
    }
    return stored;
  }

  async get(key: string): Promise<Readable> {
    try {
      const res = await this.client.send(new GetObjectCommand({ Bucket: this.bucket, Key: this.key(key) }));
      return res.Body as Readable;
    } catch (error) {
      throw storageError(error, this.where(key));
    }
  }

  async getToFile(key: string, path: string): Promise<StoredObject> {
    await mkdir(dirname(path), { recursive: true });
    const part = `${path}.part`;
    let last: unknown;
    for (let attempt = 1; attempt <= this.downloadAttempts; attempt++) {
      if (attempt > 1) await new Promise((r) => setTimeout(r, 500 * 2 ** (attempt - 2)));
      try {
        const res = await this.client.send(new GetObjectCommand({ Bucket: this.bucket, Key: this.key(key) }));
        await pipeline(res.Body as Readable, createWriteStream(part));
        const { size } = await stat(part);
        if (res.ContentLength !== undefined && size !== res.ContentLength) {
          throw new StorageError(`${this.where(key)}: got ${size} of ${res.ContentLength} bytes.`);
        }
        await rename(part, path);
        return { key, size };
      } catch (error) {
        await rm(part, { force: true });
        last = error instanceof StorageError ? error : storageError(error, this.where(key));
        if (isClientError(last)) break;
      }
    }
    throw last;
  }

  async stat(key: string): Promise<StoredObject | null> {
    try {
      const res = await this.client.send(new HeadObjectCommand({ Bucket: this.bucket, Key: this.key(key) }));
      return { key, size: res.ContentLength ?? 0 };
    } catch (error) {
      const mapped = storageError(error, this.where(key));
      if (mapped instanceof StorageNotFoundError && (error as SdkError).name !== 'NoSuchBucket') {
        // A HEAD 404 does not say whether the key or the bucket is missing: ask once more by listing.
        await this.checkBucket();
        return null;
      }
      throw mapped;
    }
  }

  private async checkBucket(): Promise<void> {
    try {
      await this.client.send(new HeadBucketCommand({ Bucket: this.bucket }));
    } catch (error) {
      throw storageError(error, `s3://${this.bucket}`);
    }
  }

  async exists(key: string): Promise<boolean> {
    return (await this.stat(key)) !== null;
  }

  async presign(key: string, expiresInSeconds: number): Promise<string> {
    if (!(await this.exists(key))) throw new StorageNotFoundError(this.where(key));
    return getSignedUrl(this.client, new GetObjectCommand({ Bucket: this.bucket, Key: this.key(key) }), {
      expiresIn: expiresInSeconds,
    });
  }

  async delete(key: string): Promise<void> {
    try {
      await this.client.send(new DeleteObjectCommand({ Bucket: this.bucket, Key: this.key(key) }));
    } catch (error) {
      throw storageError(error, this.where(key));
    }
  }

  async *list(prefix = ''): AsyncIterable<StoredObject> {
    try {
      for await (const page of paginateListObjectsV2(
        { client: this.client },
        { Bucket: this.bucket, Prefix: this.prefix + prefix },
      )) {
        for (const o of page.Contents ?? []) {
          if (o.Key) yield { key: o.Key.slice(this.prefix.length), size: o.Size ?? 0 };
        }
      }
    } catch (error) {
      throw storageError(error, `s3://${this.bucket}/${this.prefix + prefix}`);
    }
  }

  close(): void {
    this.client.destroy();
  }
}
