import { createHash, randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openStorage } from './index.ts';
import { LocalStorage } from './local.ts';
import { S3Storage } from './s3.ts';
import { startTestS3, type TestS3 } from './s3rver.test-helper.ts';
import type { ObjectStorage } from './types.ts';

let s3: TestS3;
const dir = mkdtempSync(join(tmpdir(), 'vmp-storage-'));
beforeAll(async () => {
  s3 = await startTestS3(['vmp-test']);
});
afterAll(async () => {
  await s3?.close();
  rmSync(dir, { recursive: true, force: true });
});

async function text(stream: Readable): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const c of stream) chunks.push(Buffer.from(c));
  return Buffer.concat(chunks).toString();
}

const kinds: Array<[string, () => ObjectStorage]> = [
  ['local folder', () => new LocalStorage(join(dir, 'local'))],
  ['S3 (s3rver)', () => openStorage('s3://vmp-test/farm-1', s3.env)],
];

describe.each(kinds)('%s storage', (_name, make) => {
  it('puts, stats, gets, lists and deletes', async () => {
    const storage = make();
    expect(await storage.exists('clips/a.txt')).toBe(false);
    expect(await storage.stat('clips/a.txt')).toBeNull();
    expect(await storage.put('clips/a.txt', Buffer.from('hello'))).toEqual({ key: 'clips/a.txt', size: 5 });
    await storage.put('clips/b.txt', Readable.from(['wor', 'ld!']));
    await storage.put('outputs/c.txt', Buffer.from('c'));
    expect(await storage.exists('clips/a.txt')).toBe(true);
    expect(await text(await storage.get('clips/b.txt'))).toBe('world!');
    const listed: string[] = [];
    for await (const o of storage.list('clips/')) listed.push(`${o.key}:${o.size}`);
    expect(listed.sort()).toEqual(['clips/a.txt:5', 'clips/b.txt:6']);
    const file = join(dir, `${_name}-download`, 'b.txt');
    expect(await storage.getToFile('clips/b.txt', file)).toMatchObject({ size: 6 });
    expect(readFileSync(file, 'utf8')).toBe('world!');
    await storage.delete('clips/a.txt');
    expect(await storage.exists('clips/a.txt')).toBe(false);
  });

  it('names the missing key, and refuses keys that climb out', async () => {
    const storage = make();
    await expect(storage.get('nope/missing.mp4')).rejects.toMatchObject({
      code: 'STORAGE_NOT_FOUND',
      message: expect.stringContaining('nope/missing.mp4'),
    });
    await expect(storage.put('../escape.txt', Buffer.from('x'))).rejects.toMatchObject({ code: 'VALIDATION_ERROR' });
  });
});

describe('S3 storage', () => {
  it('uploads a large stream in parts and downloads it intact', async () => {
    const storage = new S3Storage({ bucket: 'vmp-test', prefix: 'big', env: s3.env, partSize: 5 * 1024 * 1024 });
    const data = randomBytes(12 * 1024 * 1024 + 123);
    const source = join(dir, 'big.bin');
    writeFileSync(source, data);
    expect(await storage.putFile('clips/big.bin', source)).toEqual({ key: 'clips/big.bin', size: data.length });
    const back = join(dir, 'big-back.bin');
    await storage.getToFile('clips/big.bin', back);
    const sha = (b: Buffer) => createHash('sha256').update(b).digest('hex');
    expect(sha(readFileSync(back))).toBe(sha(data));
  });

  it('gives a presigned link that downloads until it expires', async () => {
    const storage = openStorage('s3://vmp-test/share', s3.env);
    await storage.put('out/video.mp4', Buffer.from('video bytes'));
    const link = await storage.presign('out/video.mp4', 3600);
    const res = await fetch(link);
    expect(res.status).toBe(200);
    expect(await res.text()).toBe('video bytes');
    const short = await storage.presign('out/video.mp4', 1);
    await new Promise((r) => setTimeout(r, 2100));
    expect((await fetch(short)).status).toBe(403);
  });

  it('names bucket and key on 403 and 404, and never prints the secret', async () => {
    const wrong = openStorage('s3://vmp-test/x', {
      ...s3.env,
      AWS_ACCESS_KEY_ID: 'NOT-A-KEY',
      AWS_SECRET_ACCESS_KEY: 'not-the-secret-42',
    });
    const refused = await wrong.put('clips/a.txt', Buffer.from('x')).catch((e: Error) => e);
    expect(refused).toMatchObject({ code: 'STORAGE_FORBIDDEN', status: 403 });
    expect((refused as Error).message).toContain('s3://vmp-test/x/clips/a.txt');
    expect((refused as Error).message).not.toContain('not-the-secret-42');
    const noBucket = openStorage('s3://no-such-bucket/p', s3.env);
    await expect(noBucket.exists('k.txt')).rejects.toMatchObject({
      code: 'STORAGE_NOT_FOUND',
      message: expect.stringContaining('s3://no-such-bucket'),
    });
  });

  it('refuses storage URLs it cannot use, naming the flag', () => {
    expect(() => openStorage('s3://A_B/x')).toThrow(/--storage: "A_B" is not a bucket name/);
    expect(() => openStorage('gs://bucket/x')).toThrow(/--storage must be s3:\/\/bucket\/prefix or a folder/);
  });
});
