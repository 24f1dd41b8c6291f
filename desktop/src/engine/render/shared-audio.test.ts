import { createHash } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { RenderSettings } from '@vmp/shared';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ffprobeJson } from '../../../test/fixtures/media.ts';
import { runFfmpeg } from '../ffmpeg/run.ts';
import { mix } from '../mix.ts';
import { createRenderer } from './renderer.ts';
import { expectValidOutput, makeSource } from './testing.ts';
import type { RenderSource } from './types.ts';

/** The decoded audio, sample for sample (what a listener gets), as a hash; and its stream's timing. */
async function audioOf(file: string): Promise<{ pcm: string; start: string; duration: string }> {
  const { stdout } = await runFfmpeg(['-i', file, '-map', '0:a:0', '-f', 's16le', '-'], { captureStdout: true });
  const stream = (await ffprobeJson(file)).streams.find((s) => s.codec_type === 'audio')!;
  return {
    pcm: createHash('sha256').update(stdout).digest('hex'),
    start: String((stream as { start_time?: string }).start_time),
    duration: String(stream.duration),
  };
}

describe('outputs that differ only in their text share one audio encode', () => {
  let dir: string;
  let sources: RenderSource[];
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'vmp-shared-audio-'));
    sources = [
      await makeSource(dir, 'red', { color: 'red', duration: 1, audio: { frequency: 400 } }),
      await makeSource(dir, 'green', {
        color: 'lime',
        fps: 25,
        duration: 1.3,
        audio: { frequency: 1000, sampleRate: 44_100 },
      }),
      await makeSource(dir, 'blue', { color: 'blue', duration: 0.7, audio: { frequency: 2600 } }),
    ];
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('copies the AAC of a finished variant: the same samples as its own encode, and a lent file gone is encoded again', async () => {
    const settings = RenderSettings.parse({ format: '1:1' });
    const combinations = [
      { index: 0, clipIds: ['red', 'green'], headlines: ['Stop scrolling', null] },
      { index: 1, clipIds: ['red', 'green'], headlines: ['Last day today', null] },
      { index: 2, clipIds: ['green', 'blue', 'red'], headlines: ['Stop scrolling', null, null] },
      { index: 3, clipIds: ['green', 'blue', 'red'], headlines: ['Last day today', null, null] },
    ];
    const commands: string[] = [];
    const cacheDir = join(dir, 'cache');
    // One process at a time, one output each: every variant's first rendering is finished before the second starts.
    const renderer = createRenderer({ cacheDir, concurrency: 1, assemblyBatch: 1, onCommand: (c) => commands.push(c) });
    try {
      const shared = await mix({
        projectName: 'shared',
        sources,
        combinations,
        settings,
        outDir: join(dir, 'a'),
        cacheDir,
        renderer,
      });
      expect(shared.failed).toEqual([]);
      const assemblies = commands.filter((c) => c.includes('-f concat'));
      expect(assemblies).toHaveLength(4);
      const copies = assemblies.filter((c) => c.includes('-c:a copy'));
      expect(copies).toHaveLength(2);
      const files = shared.outputs.map((o) => o.path);
      // Each copy takes the audio of the other variant of its clips (whichever finished first).
      const lent = (c: string) => files.findIndex((f) => c.includes(`-i ${f} `));
      expect(copies.map(lent).sort()).toSatisfy(
        (pair: number[]) => [0, 1].includes(pair[0]!) && [2, 3].includes(pair[1]!),
      );

      // Each output encoded alone (a renderer of its own: nothing to borrow) gives the same samples and timing.
      const alone = await mix({
        projectName: 'shared',
        sources,
        combinations,
        settings,
        outDir: join(dir, 'b'),
        cacheDir,
        concurrency: 1,
      });
      for (const [k, file] of files.entries()) {
        await expectValidOutput(file, { width: 1080, height: 1080, duration: k < 2 ? 2.3 : 3 });
        expect(await audioOf(file)).toEqual(await audioOf(alone.outputs[k]!.path));
      }
      expect((await audioOf(files[0]!)).pcm).toBe((await audioOf(files[1]!)).pcm);

      // The files with that audio removed: the next variant encodes its own, and is fine.
      await rm(files[0]!);
      await rm(files[1]!);
      commands.length = 0;
      const again = await mix({
        projectName: 'shared',
        sources,
        combinations: [{ index: 4, clipIds: ['red', 'green'], headlines: ['Free shipping', null] }],
        settings,
        outDir: join(dir, 'c'),
        cacheDir,
        renderer,
      });
      expect(again.failed).toEqual([]);
      expect(commands.filter((c) => c.includes('-f concat') && c.includes('-c:a copy'))).toEqual([]);
      expect((await audioOf(again.outputs[0]!.path)).pcm).toBe((await audioOf(alone.outputs[0]!.path)).pcm);
    } finally {
      await renderer.close();
    }
  }, 180_000);
});
