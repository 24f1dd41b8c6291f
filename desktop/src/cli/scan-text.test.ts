import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type MixCliOptions, planInputFor } from './mix.ts';
import { scanMixFolder } from './scan.ts';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'vmp-scan-text-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function touch(path: string, content = 'x'): Promise<void> {
  await mkdir(join(path, '..'), { recursive: true });
  await writeFile(path, content);
}

describe('scanMixFolder: text beside clips', () => {
  it('pairs clip.srt / clip.vtt with their clip, finds headlines.txt per group, reports the rest', async () => {
    const root = join(dir, 'manual');
    await touch(join(root, '1-hook', 'a.mp4'));
    await touch(join(root, '1-hook', 'a.srt'));
    await touch(join(root, '1-hook', 'b.mov'));
    await touch(join(root, '1-hook', 'b.vtt'));
    await touch(join(root, '1-hook', 'b.srt'));
    await touch(join(root, '1-hook', 'headlines.txt'));
    await touch(join(root, '1-hook', 'orphan.srt'));
    await touch(join(root, '2-body', 'c.mp4'));
    const scanned = await scanMixFolder(root);
    expect(scanned.mode).toBe('manual');
    if (scanned.mode !== 'manual') return;
    expect(scanned.groups[0]).toEqual({
      name: '1-hook',
      dir: join(root, '1-hook'),
      files: [join(root, '1-hook', 'a.mp4'), join(root, '1-hook', 'b.mov')],
      headlinesFile: join(root, '1-hook', 'headlines.txt'),
    });
    expect(scanned.groups[1]).toEqual({
      name: '2-body',
      dir: join(root, '2-body'),
      files: [join(root, '2-body', 'c.mp4')],
    });
    expect([...scanned.captions!]).toEqual([
      [join(root, '1-hook', 'a.mp4'), join(root, '1-hook', 'a.srt')],
      [join(root, '1-hook', 'b.mov'), join(root, '1-hook', 'b.srt')],
    ]);
    expect(scanned.unusedText).toEqual([
      { path: join(root, '1-hook', 'b.vtt'), reason: expect.stringContaining('already has captions in b.srt') },
      { path: join(root, '1-hook', 'orphan.srt'), reason: expect.stringContaining('no clip named "orphan"') },
    ]);
  });

  it('auto mode: captions too; a headlines.txt there is reported, not mixed', async () => {
    const root = join(dir, 'auto');
    await touch(join(root, 'a.mp4'));
    await touch(join(root, 'a.vtt'));
    await touch(join(root, 'headlines.txt'));
    const scanned = await scanMixFolder(root);
    expect(scanned).toMatchObject({ mode: 'auto', files: [join(root, 'a.mp4')] });
    expect(scanned.captions!.get(join(root, 'a.mp4'))).toBe(join(root, 'a.vtt'));
    expect(scanned.unusedText![0]).toMatchObject({
      path: join(root, 'headlines.txt'),
      reason: expect.stringContaining('inside a group folder'),
    });
  });

  it('planInputFor gives a group its headlines', () => {
    const analysis = (path: string) => ({ path, problems: [], hash: 'h', info: { duration: 1 } });
    const scanned = {
      mode: 'manual' as const,
      groups: [{ name: 'g', dir: '/g', files: ['/g/a.mp4'] }],
      ignored: [],
    };
    const input = planInputFor(
      scanned,
      new Map([['/g/a.mp4', analysis('/g/a.mp4') as never]]),
      { seed: 1, clipsPerOutput: 3 } as Pick<MixCliOptions, 'count' | 'seed' | 'clipsPerOutput'>,
      new Map([['/g', [{ id: 'g/headlines.txt:1', text: 'Hi' }]]]),
    );
    expect(input).toMatchObject({
      mode: 'manual',
      groups: [{ name: 'g', headlines: [{ id: 'g/headlines.txt:1', text: 'Hi' }] }],
    });
  });
});
