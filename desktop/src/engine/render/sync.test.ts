import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { RenderSettings } from '@vmp/shared';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mix } from '../mix.ts';
import { colourChanges, expectValidOutput, frameColours, makeSource, pcmMono, toneChanges } from './testing.ts';
import type { RenderSource } from './types.ts';

// Join-level A/V sync: each source is one solid colour with one tone; in the output, the frame where the colour
// changes and the sample where the tone changes must agree within 10 ms at every join. Sources differ in frame
// rate, length and sample rate on purpose, so retiming and resampling are both exercised.
const TONES = [400, 1000, 2600]; // whole cycles in a 5 ms window: no leakage between bins

describe('fast strategy keeps audio and video in sync at every join', () => {
  let dir: string;
  let sources: RenderSource[];

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'vmp-sync-'));
    sources = [
      await makeSource(dir, 'red', { color: 'red', fps: 25, duration: 1, audio: { frequency: TONES[0] } }),
      await makeSource(dir, 'green', {
        color: 'lime',
        fps: 60,
        duration: 1.3,
        audio: { frequency: TONES[1], sampleRate: 44_100 },
      }),
      await makeSource(dir, 'blue', { color: 'blue', fps: 30, duration: 0.7, audio: { frequency: TONES[2] } }),
    ];
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('colour and tone change together (≤ 10 ms) at each of 3 joins', async () => {
    const settings = RenderSettings.parse({ format: '1:1' });
    const { outputs, failed } = await mix({
      projectName: 'sync',
      sources,
      combinations: [{ index: 0, clipIds: ['red', 'green', 'blue', 'red'] }],
      settings,
      outDir: join(dir, 'out'),
      cacheDir: join(dir, 'cache'),
    });
    expect(failed).toEqual([]);
    const file = outputs[0]!.path;
    await expectValidOutput(file, { width: 1080, height: 1080, duration: 1 + 1.3 + 0.7 + 1 });

    const video = colourChanges(await frameColours(file), 30);
    const audio = toneChanges(await pcmMono(file), TONES);
    expect(video.map((t) => Math.round(t * 30))).toEqual([30, 69, 90]);
    expect(audio).toHaveLength(3);
    for (const [k, t] of video.entries()) {
      expect(Math.abs(audio[k]! - t), `join ${k + 1}: video ${t}s, audio ${audio[k]}s`).toBeLessThanOrEqual(0.01);
    }
  });

  it('unique: after the speed change, tone and colour still change together (≤ 10 ms) at each join (defect 5)', async () => {
    // No zoom or colour change, so the colours stay clean; the speed varies with each output's seed.
    const settings = RenderSettings.parse({
      format: '1:1',
      strategy: 'unique',
      variations: { speed: 3, zoom: 0, color: 0, mirror: false },
    });
    const { outputs, failed } = await mix({
      projectName: 'sync-unique',
      sources,
      combinations: [
        { index: 0, clipIds: ['red', 'green', 'blue', 'red'] },
        { index: 1, clipIds: ['green', 'blue', 'red', 'green'] },
      ],
      settings,
      outDir: join(dir, 'out-unique'),
      cacheDir: join(dir, 'cache'),
    });
    expect(failed).toEqual([]);
    for (const output of outputs) {
      const video = colourChanges(await frameColours(output.path), 30);
      const audio = toneChanges(await pcmMono(output.path), TONES);
      expect(video).toHaveLength(3);
      expect(audio).toHaveLength(3);
      for (const [k, t] of video.entries()) {
        const what = `output ${output.index + 1}, join ${k + 1}: video ${t}s, audio ${audio[k]}s`;
        expect(Math.abs(audio[k]! - t), what).toBeLessThanOrEqual(0.01);
      }
    }
  }, 120_000);
});
