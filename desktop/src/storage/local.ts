import { createReadStream, createWriteStream } from 'node:fs';
import { mkdir, readdir, rename, rm, stat } from 'node:fs/promises';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { pathToFileURL } from 'node:url';
import { StorageNotFoundError } from './errors.ts';
import { checkKey } from './keys.ts';
import type { ObjectStorage, StoredObject } from './types.ts';

/** Storage in a local (or mounted) folder: the same contract as S3, for tests and shared-folder farms. */
export class LocalStorage implements ObjectStorage {
  readonly root: string;
  readonly url: string;

  constructor(root: string) {
    this.root = resolve(root);
    this.url = pathToFileURL(this.root).href;
  }

  private path(key: string): string {
    return join(this.root, ...checkKey(key).split('/'));
  }

  async put(key: string, body: Readable | Buffer): Promise<StoredObject> {
    const path = this.path(key);
    await mkdir(dirname(path), { recursive: true });
    const part = `${path}.part`;
    await pipeline(Buffer.isBuffer(body) ? Readable.from([body]) : body, createWriteStream(part));
    await rename(part, path);
    return { key, size: (await stat(path)).size };
  }

  putFile(key: string, file: string): Promise<StoredObject> {
    return this.put(key, createReadStream(file));
  }

  async get(key: string): Promise<Readable> {
    const path = this.path(key);
    if (!(await this.stat(key))) throw new StorageNotFoundError(`${this.url}/${key}`);
    return createReadStream(path);
  }

  async getToFile(key: string, file: string): Promise<StoredObject> {
    const source = await this.stat(key);
    if (!source) throw new StorageNotFoundError(`${this.url}/${key}`);
    await mkdir(dirname(file), { recursive: true });
    const part = `${file}.part`;
    await pipeline(createReadStream(this.path(key)), createWriteStream(part));
    await rename(part, file);
    return source;
  }

  async stat(key: string): Promise<StoredObject | null> {
    try {
      const s = await stat(this.path(key));
      return s.isFile() ? { key, size: s.size } : null;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
      throw error;
    }
  }

  async exists(key: string): Promise<boolean> {
    return (await this.stat(key)) !== null;
  }

  async presign(key: string): Promise<string> {
    if (!(await this.exists(key))) throw new StorageNotFoundError(`${this.url}/${key}`);
    return pathToFileURL(this.path(key)).href;
  }

  async delete(key: string): Promise<void> {
    await rm(this.path(key), { force: true });
  }

  async *list(prefix = ''): AsyncIterable<StoredObject> {
    const walk = async function* (dir: string, root: string): AsyncIterable<StoredObject> {
      let entries: import('node:fs').Dirent[];
      try {
        entries = await readdir(dir, { withFileTypes: true });
      } catch {
        return;
      }
      for (const e of entries.sort((a, b) => a.name.localeCompare(b.name))) {
        const full = join(dir, e.name);
        if (e.isDirectory()) yield* walk(full, root);
        else if (e.isFile() && !e.name.endsWith('.part')) {
          yield { key: relative(root, full).split(sep).join('/'), size: (await stat(full)).size };
        }
      }
    };
    for await (const o of walk(this.root, this.root)) if (o.key.startsWith(prefix)) yield o;
  }
}
