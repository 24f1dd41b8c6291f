import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CONTENT_KEY_CHUNK, contentKey } from './content-key.ts';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'vmp-hash-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

function patterned(size: number): Buffer {
  const buffer = Buffer.alloc(size);
  for (let i = 0; i < size; i++) buffer[i] = (i * 31 + (i >> 12)) & 0xff;
  return buffer;
}

describe('contentKey', () => {
  it('depends on content, not on the path', async () => {
    const a = join(dir, 'a.bin');
    const b = join(dir, 'copy-of-a.bin');
    await writeFile(a, patterned(5000));
    await writeFile(b, patterned(5000));
    expect(await contentKey(a)).toBe(await contentKey(b));
    expect(await contentKey(a)).toMatch(/^[0-9a-f]{64}$/);
  });

  it('hashes small files whole: any byte changes the key', async () => {
    const data = patterned(CONTENT_KEY_CHUNK * 2);
    await writeFile(join(dir, 's1'), data);
    data.writeUInt8(data.readUInt8(CONTENT_KEY_CHUNK + 7) ^ 1, CONTENT_KEY_CHUNK + 7);
    await writeFile(join(dir, 's2'), data);
    expect(await contentKey(join(dir, 's1'))).not.toBe(await contentKey(join(dir, 's2')));
  });

  it('samples start, middle and end of large files, and includes the size', async () => {
    const size = CONTENT_KEY_CHUNK * 8 + 123;
    const base = patterned(size);
    await writeFile(join(dir, 'big'), base);
    const key = await contentKey(join(dir, 'big'));
    const variants: Record<string, Buffer> = {};
    for (const [label, offset] of [
      ['start', 10],
      ['middle', Math.floor(size / 2)],
      ['end', size - 5],
    ] as const) {
      const copy = Buffer.from(base);
      copy.writeUInt8(copy.readUInt8(offset) ^ 0xff, offset);
      variants[label] = copy;
    }
    variants.longer = Buffer.concat([base, Buffer.from([0])]);
    for (const [label, data] of Object.entries(variants)) {
      await writeFile(join(dir, label), data);
      expect(await contentKey(join(dir, label)), label).not.toBe(key);
    }
    // The documented trade-off: a same-size change between the samples is not seen.
    const between = Buffer.from(base);
    between.writeUInt8(between.readUInt8(CONTENT_KEY_CHUNK * 2) ^ 0xff, CONTENT_KEY_CHUNK * 2);
    await writeFile(join(dir, 'between'), between);
    expect(await contentKey(join(dir, 'between'))).toBe(key);
  });

  it('rejects a missing file', async () => {
    await expect(contentKey(join(dir, 'nope'))).rejects.toMatchObject({ code: 'ENOENT' });
  });
});
