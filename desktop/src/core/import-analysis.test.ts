import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { makeClip } from '../../test/fixtures/media.ts';
import { call } from '../../test/helpers/core.ts';
import { createCore } from './core.ts';
import { type ComputeFn, computeInline } from './cpu-tasks.ts';
import { realEngine } from './engine-port.ts';
import { hostPlatform } from './platform.ts';

const root = mkdtempSync(join(tmpdir(), 'vmp-import-analysis-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

describe('importing a clip', () => {
  it('hands the analysis (content key and probe result) to the still, so it neither hashes nor probes again', async () => {
    const calls: { name: string; args: unknown[] }[] = [];
    const compute: ComputeFn = (name, ...args) => {
      calls.push({ name, args });
      return computeInline(name, ...args);
    };
    const core = createCore({
      dataDir: join(root, 'data'),
      engine: realEngine(compute),
      platform: hostPlatform({ PATH: '' }, 'linux'),
    });
    try {
      const file = await makeClip(join(root, 'media'), 'clip', { duration: 1 });
      const project = await call(core, 'projects.create', { name: 'Import', mode: 'auto' });
      const { clips } = await call(core, 'clips.import', { projectId: project.id, paths: [file] });
      expect(clips[0]).toMatchObject({ status: 'ok' });
      expect(calls.map((c) => c.name).filter((n) => n !== 'summarisePlan')).toEqual(['analyseClip', 'thumbnail']);
      const options = calls.find((c) => c.name === 'thumbnail')!.args[1] as Record<string, unknown>;
      expect(options).toMatchObject({ hash: clips[0]!.hash, info: { duration: clips[0]!.info!.duration } });
    } finally {
      await core.close();
    }
  }, 60_000);
});
