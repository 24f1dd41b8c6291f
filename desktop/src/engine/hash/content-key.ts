import { createHash } from 'node:crypto';
import { type FileHandle, open } from 'node:fs/promises';

/** Bytes sampled from each of the start, middle and end of a file. */
export const CONTENT_KEY_CHUNK = 1024 * 1024;

/**
 * A content key, not a full hash: SHA-256 over the size and three 1 MiB samples (start, middle, end).
 * Reading every byte of a multi-GB clip would take seconds per file on every import; the samples cover
 * the container header, the index (start or end of MP4/MOV) and a slice of picture data, and together with
 * the exact size tell apart any two different recordings in practice. Files up to 3 MiB are hashed whole.
 * It is content-based (not path or mtime), so a renamed or copied clip still hits the cache.
 * The "v1" prefix lets a future scheme invalidate old cache entries.
 */
export async function contentKey(path: string): Promise<string> {
  const handle = await open(path, 'r');
  try {
    const { size } = await handle.stat();
    const hash = createHash('sha256');
    hash.update(`vmp-content-key-v1\0${size}\0`);
    if (size <= CONTENT_KEY_CHUNK * 3) {
      const buffer = Buffer.alloc(size);
      await readFully(handle, buffer, 0);
      hash.update(buffer);
    } else {
      const buffer = Buffer.alloc(CONTENT_KEY_CHUNK);
      const middle = Math.floor(size / 2 - CONTENT_KEY_CHUNK / 2);
      for (const offset of [0, middle, size - CONTENT_KEY_CHUNK]) {
        await readFully(handle, buffer, offset);
        hash.update(buffer);
      }
    }
    return hash.digest('hex');
  } finally {
    await handle.close();
  }
}

async function readFully(handle: FileHandle, buffer: Buffer, position: number): Promise<void> {
  let done = 0;
  while (done < buffer.length) {
    const { bytesRead } = await handle.read(buffer, done, buffer.length - done, position + done);
    // The file shrank under us: hash what is there; the size in the key still reflects what stat saw.
    if (bytesRead === 0) {
      buffer.fill(0, done);
      return;
    }
    done += bytesRead;
  }
}
