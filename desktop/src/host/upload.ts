import { createWriteStream, existsSync } from 'node:fs';
import { mkdir, rename, rm } from 'node:fs/promises';
import type { IncomingMessage } from 'node:http';
import { extname, join } from 'node:path';
import { AppError } from '@vmp/shared/errors';
import { sanitizeFileName } from '../engine/render/naming.ts';

export class UploadTooLargeError extends AppError {
  constructor(name: string, limit: number) {
    const mb = (limit / 1024 ** 2).toFixed(limit < 1024 ** 2 ? 2 : 0);
    super(
      'PAYLOAD_TOO_LARGE',
      `"${name}" is larger than the upload limit of ${mb} MB (${limit} bytes). Use a shorter or smaller export, or raise "maxClipBytes" in the settings.`,
      { status: 413, details: { name, limit } },
    );
  }
}

/** A file name safe on disk, keeping the extension (lower-cased). */
export function uploadFileName(name: string): string {
  const ext = extname(name)
    .toLowerCase()
    .replace(/[^.a-z0-9]/g, '')
    .slice(0, 10);
  const stem = sanitizeFileName(name.slice(0, name.length - extname(name).length) || 'upload', 100);
  return `${stem}${ext}`;
}

/** First free name in `dir`: "a.mp4", "a-2.mp4", ... */
export function freeName(dir: string, name: string): string {
  const ext = extname(name);
  const stem = name.slice(0, name.length - ext.length);
  let candidate = name;
  for (let n = 2; existsSync(join(dir, candidate)); n++) candidate = `${stem}-${n}${ext}`;
  return candidate;
}

/**
 * Streams a request body to `dir` (never buffered in memory), refusing more than `limit` bytes. The body goes to a
 * hidden temporary file that is renamed once complete, so a cut connection never leaves a half file to import.
 */
export async function receiveUpload(req: IncomingMessage, dir: string, name: string, limit: number): Promise<string> {
  const declared = Number(req.headers['content-length']);
  if (Number.isFinite(declared) && declared > limit) throw new UploadTooLargeError(name, limit);
  await mkdir(dir, { recursive: true });
  const safe = uploadFileName(name);
  const temp = join(dir, `.${safe}.${process.pid}.${Date.now()}.uploading`);
  const out = createWriteStream(temp, { flags: 'wx' });
  let received = 0;
  try {
    await new Promise<void>((resolve, reject) => {
      const fail = (error: unknown) => {
        req.unpipe(out);
        out.destroy();
        reject(error);
      };
      req.on('data', (chunk: Buffer) => {
        received += chunk.length;
        if (received > limit) fail(new UploadTooLargeError(name, limit));
      });
      req.on('aborted', () =>
        fail(new AppError('UPLOAD_ABORTED', `The upload of "${name}" was interrupted.`, { status: 400 })),
      );
      req.on('error', fail);
      out.on('error', fail);
      out.on('finish', resolve);
      req.pipe(out);
    });
    const final = join(dir, freeName(dir, safe));
    await rename(temp, final);
    return final;
  } catch (error) {
    await rm(temp, { force: true });
    throw error;
  }
}
