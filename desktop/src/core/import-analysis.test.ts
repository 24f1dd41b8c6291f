import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { makeClip } from '../../test/fixtures/media.ts';
import { call } from '../../test/helpers/core.ts';
import { setCommandLogger } from '../engine/ffmpeg/run.ts';
import { createCore } from './core.ts';
import { type ComputeFn, computeInline } from './cpu-tasks.ts';
import { realEngine } from './engine-port.ts';
import { hostPlatform } from './platform.ts';

const root = mkdtempSync(join(tmpdir(), 'vmp-import-analysis-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

describe('importing a clip', () => {
  it("makes the still in the analysis's own FFmpeg run: one ffprobe and one FFmpeg per clip, no second hash or probe", async () => {
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
    const commands: string[] = [];
    setCommandLogger((command) => commands.push(command));
    try {
      const file = await makeClip(join(root, 'media'), 'clip', { duration: 1 });
      const project = await call(core, 'projects.create', { name: 'Import', mode: 'auto' });
      const { clips } = await call(core, 'clips.import', { projectId: project.id, paths: [file] });
      expect(clips[0]).toMatchObject({ status: 'ok' });
      expect(calls.map((c) => c.name).filter((n) => n !== 'summarisePlan')).toEqual(['analyseClip']);
      const still = core.store.clips.thumbnail(clips[0]!.id);
      expect(still).toMatch(/\.jpg$/);
      expect(existsSync(still!)).toBe(true);
      const tools = commands.map((c) => c.split(' ')[0]!.split('/').pop());
      expect(tools).toEqual(['ffprobe', 'ffmpeg']);
    } finally {
      setCommandLogger(() => {});
      await core.close();
    }
  }, 60_000);
});
