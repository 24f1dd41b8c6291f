import { mkdtemp, readdir, readFile, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { ffprobeJson, makeClip } from '../../../test/fixtures/media.ts';
import { setCommandLogger } from '../ffmpeg/run.ts';
import { contentKey } from '../hash/content-key.ts';
import { thumbnail, thumbnailPath, thumbnailTime } from './thumbnail.ts';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'vmp-thumb-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});
afterEach(() => {
  setCommandLogger(() => {});
});

async function size(file: string): Promise<{ width?: number; height?: number; codec: string }> {
  const probe = await ffprobeJson(file);
  const s = probe.streams[0]!;
  return { width: s.width, height: s.height, codec: s.codec_name };
}

describe('thumbnail', () => {
  it('picks a time 10 % in', () => {
    expect(thumbnailTime(10)).toBe(1);
    expect(thumbnailTime(0)).toBe(0);
    expect(thumbnailTime(Number.NaN)).toBe(0);
  });

  it('writes a 320 px wide JPEG named by content key, upright and with square pixels', async () => {
    const cache = join(dir, 'cache1');
    const plain = await makeClip(dir, 'plain', { duration: 1, audio: false });
    const out = await thumbnail(plain, { cacheDir: cache });
    expect(out).toBe(thumbnailPath(cache, await contentKey(plain)));
    expect((await readFile(out)).subarray(0, 2)).toEqual(Buffer.from([0xff, 0xd8]));
    expect(await size(out)).toEqual({ width: 320, height: 240, codec: 'mjpeg' });

    const rotated = await makeClip(dir, 'rotated', { duration: 1, rotate: 90, audio: false });
    expect(await size(await thumbnail(rotated, { cacheDir: cache }))).toMatchObject({ width: 320, height: 426 });

    const anamorphic = await makeClip(dir, 'anamorphic', { duration: 1, sar: '4:3', audio: false });
    expect(await size(await thumbnail(anamorphic, { cacheDir: cache }))).toMatchObject({ width: 320, height: 180 });
    expect((await readdir(cache)).filter((f) => f.endsWith('.tmp'))).toEqual([]);
  });

  it('reuses the cache and shares one FFmpeg run between concurrent requests', async () => {
    const cache = join(dir, 'cache2');
    const clip = await makeClip(dir, 'shared', { duration: 1, audio: false });
    const hash = await contentKey(clip);
    const commands: string[] = [];
    setCommandLogger((command) => commands.push(command));
    const results = await Promise.all([1, 2, 3].map(() => thumbnail(clip, { cacheDir: cache, hash })));
    expect(new Set(results).size).toBe(1);
    const ffmpegRuns = () => commands.filter((c) => c.includes('scale=')).length;
    expect(ffmpegRuns()).toBe(1);
    const before = (await stat(results[0]!)).mtimeMs;
    await thumbnail(clip, { cacheDir: cache, hash });
    expect(ffmpegRuns()).toBe(1);
    expect((await stat(results[0]!)).mtimeMs).toBe(before);
  });
});
