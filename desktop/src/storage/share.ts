import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { basename } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { ValidationError } from '@vmp/shared/errors';
import type { ObjectStorage } from './types.ts';

/** S3's presigned (SigV4) links live at most 7 days. */
export const MAX_LINK_SECONDS = 7 * 24 * 3600;

/** "90s", "30m", "12h", "7d" (or plain seconds) → seconds, 1 s to 7 days. */
export function parseExpiry(raw: string, field = '--expires'): number {
  const m = /^(\d+)\s*([smhd]?)$/.exec(raw.trim());
  const unit = { '': 1, s: 1, m: 60, h: 3600, d: 86400 }[m?.[2] ?? ''] ?? 1;
  const seconds = m ? Number(m[1]) * unit : Number.NaN;
  if (!Number.isSafeInteger(seconds) || seconds < 1 || seconds > MAX_LINK_SECONDS) {
    throw new ValidationError(`${field} must be a duration from 1s to 7d, like 30m, 12h or 7d (got "${raw}").`, {
      field,
    });
  }
  return seconds;
}

export async function sha256File(path: string): Promise<string> {
  const hash = createHash('sha256');
  await pipeline(createReadStream(path), hash);
  return hash.digest('hex');
}

export interface SharedLink {
  url: string;
  key: string;
  expiresAt: Date;
  uploaded: boolean;
}

/**
 * Puts `file` in the storage once (keyed by its content: shared/<sha256>/<name>) and returns a download link that
 * expires after `expiresInSeconds`.
 */
export async function shareFile(storage: ObjectStorage, file: string, expiresInSeconds: number): Promise<SharedLink> {
  const { size } = await stat(file);
  const key = `shared/${(await sha256File(file)).slice(0, 32)}/${basename(file)}`;
  const existing = await storage.stat(key);
  const uploaded = existing?.size !== size;
  if (uploaded) await storage.putFile(key, file);
  const url = await storage.presign(key, expiresInSeconds);
  return { url, key, expiresAt: new Date(Date.now() + expiresInSeconds * 1000), uploaded };
}
