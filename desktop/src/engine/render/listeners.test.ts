import { getEventListeners } from 'node:events';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type Combination, RenderSettings } from '@vmp/shared';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mix } from '../mix.ts';
import { makeSource } from './testing.ts';
import type { RenderSource } from './types.ts';

// An ordinary 16-output mix printed "MaxListenersExceededWarning: ... abort listeners added to [AbortSignal]":
// every output × clip waiting for an intermediate put its own listener on the batch's one signal.
describe('abort listeners during a mix', () => {
  let dir: string;
  let sources: RenderSource[];

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'vmp-listeners-'));
    sources = [];
    for (const [k, color] of ['red', 'lime', 'blue', 'yellow', 'white'].entries()) {
      sources.push(
        await makeSource(dir, color, {
          color,
          duration: 0.3,
          width: 64,
          height: 64,
          audio: { frequency: 300 + 100 * k },
        }),
      );
    }
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('a 16-output mix on a cold cache raises no MaxListenersExceededWarning and leaves no listener behind', async () => {
    const warnings: Error[] = [];
    const onWarning = (warning: Error) => {
      if (warning.name === 'MaxListenersExceededWarning') warnings.push(warning);
    };
    process.on('warning', onWarning);
    const combinations: Combination[] = [];
    for (const a of sources)
      for (const b of sources)
        if (a !== b && combinations.length < 16)
          combinations.push({ index: combinations.length, clipIds: [a.id, b.id] });
    const controller = new AbortController();
    try {
      const { outputs, failed } = await mix({
        projectName: 'listeners',
        sources,
        combinations,
        settings: RenderSettings.parse({ format: '1:1' }),
        outDir: join(dir, 'out'),
        cacheDir: join(dir, 'cache'),
        concurrency: 2,
        signal: controller.signal,
      });
      expect(failed).toEqual([]);
      expect(outputs).toHaveLength(16);
      // Warnings are emitted on the next tick.
      await new Promise((resolve) => setImmediate(resolve));
    } finally {
      process.off('warning', onWarning);
    }
    expect(warnings.map((w) => w.message)).toEqual([]);
    expect(getEventListeners(controller.signal, 'abort')).toHaveLength(0);
  });
});
