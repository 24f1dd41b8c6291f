import { existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { makeClip } from '../../test/fixtures/media.ts';
import { call } from '../../test/helpers/core.ts';
import { deferred } from '../../test/helpers/events.ts';
import { CancelledError } from '../engine/errors.ts';
import type { RenderBatchFn } from '../engine/render/types.ts';
import { type Core, createCore } from './core.ts';
import { hostPlatform } from './platform.ts';

let root: string;
let clipPaths: string[];

beforeAll(async () => {
  root = mkdtempSync(join(tmpdir(), 'vmp-delete-'));
  clipPaths = await Promise.all(['a', 'b', 'c'].map((n) => makeClip(join(root, 'media'), n, { duration: 0.3 })));
});
afterAll(() => rmSync(root, { recursive: true, force: true }));

/** Writes each output's `.part` and holds it until the batch or the output is aborted (a render that never ends). */
function holdingRenderer() {
  const started = deferred();
  const settled = deferred();
  const renderBatch: RenderBatchFn = async (specs, opts = {}) => {
    const parts = specs.map((s) => join(s.outDir, `${s.fileName}.part`));
    await mkdir(specs[0]!.outDir, { recursive: true });
    await Promise.all(parts.map((p) => writeFile(p, 'partial')));
    started.resolve();
    try {
      await Promise.all(
        specs.map(
          (spec, k) =>
            new Promise<void>((_, reject) => {
              const own = opts.outputSignals?.[k];
              const stop = () => reject(new CancelledError());
              opts.signal?.addEventListener('abort', stop, { once: true });
              own?.addEventListener('abort', () => {
                opts.onOutputCancelled?.(spec.combination.index);
                stop();
              });
            }),
        ),
      );
      return { outputs: [], failed: [], cancelled: [] };
    } finally {
      // Like the engine, whatever stopped, no .part survives the call.
      await Promise.all(parts.map((p) => rmSync(p, { force: true })));
      setImmediate(settled.resolve);
    }
  };
  return { renderBatch, started: started.promise, settled: settled.promise };
}

describe('deleting a project while its outputs render', () => {
  let core: Core;
  afterAll(async () => core?.close());

  it('stops the renders, removes the partial files, answers, and leaves no unhandled rejection', async () => {
    const unhandled: unknown[] = [];
    const listener = (reason: unknown) => unhandled.push(reason);
    process.on('unhandledRejection', listener);
    try {
      const r = holdingRenderer();
      core = createCore({
        dataDir: join(root, 'data'),
        defaultOutputDir: join(root, 'out'),
        platform: hostPlatform({ PATH: '' }, 'linux'),
        render: r.renderBatch,
      });
      const project = await call(core, 'projects.create', { name: 'Doomed', mode: 'auto' });
      await call(core, 'projects.update', { projectId: project.id, settings: { clipsPerOutput: 2, count: 3 } });
      await call(core, 'clips.import', { projectId: project.id, paths: clipPaths });
      await vi.waitFor(async () => {
        const clips = (await call(core, 'projects.get', { projectId: project.id })).clips;
        expect(clips.map((c) => c.status)).toEqual(['ok', 'ok', 'ok']);
      });
      const job = await call(core, 'jobs.start', { projectId: project.id });
      await r.started;
      expect(core.queue.state().running).toBeGreaterThan(0);
      const outputDir = core.store.jobs.row(job.id).outputDir;
      expect(readdirSync(outputDir).some((n) => n.endsWith('.part'))).toBe(true);

      expect(await call(core, 'projects.delete', { projectId: project.id })).toEqual({ ok: true });
      await r.settled;
      await new Promise((resolve) => setTimeout(resolve, 50));

      expect(unhandled).toEqual([]);
      expect(core.queue.state().running).toBe(0);
      expect(existsSync(outputDir) ? readdirSync(outputDir).filter((n) => n.includes('.part')) : []).toEqual([]);
      // Still serving.
      expect((await call(core, 'projects.list', {})).some((p) => p.id === project.id)).toBe(false);
    } finally {
      process.off('unhandledRejection', listener);
    }
  });
});
