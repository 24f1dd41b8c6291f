import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { makeClip, truncatedCopy } from '../../test/fixtures/media.ts';
import { call } from '../../test/helpers/core.ts';
import { setCommandLogger } from '../engine/ffmpeg/run.ts';
import { analysisBatches } from './clip-analysis.ts';
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
      expect(calls.map((c) => c.name).filter((n) => n !== 'summarisePlan')).toEqual(['analyseClips']);
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

  it('checks many clips in a few FFmpeg runs (one per batch), each clip’s verdict and still as if alone', async () => {
    const core = createCore({
      dataDir: join(root, 'data-many'),
      engine: realEngine(computeInline),
      platform: hostPlatform({ PATH: '' }, 'linux'),
    });
    const commands: string[] = [];
    setCommandLogger((command) => commands.push(command));
    try {
      const media = join(root, 'media-many');
      const good = [];
      for (let i = 0; i < 9; i++) {
        good.push(await makeClip(media, `good-${i}`, { duration: 1, color: ['red', 'blue', 'green'][i % 3]! }));
      }
      // Index up front, data cut short: it probes fine and fails only the decode check, spoiling its batch's run.
      const whole = await makeClip(media, 'whole', { duration: 1, faststart: true });
      const cut = await truncatedCopy(whole, 0.9, join(media, 'cut.mp4'));
      const project = await call(core, 'projects.create', { name: 'Many', mode: 'auto' });
      const paths = [...good.slice(0, 4), cut, ...good.slice(4)];
      const { clips } = await call(core, 'clips.import', { projectId: project.id, paths });
      expect(clips.map((c) => c.status)).toEqual(paths.map((p) => (p === cut ? 'problem' : 'ok')));
      expect(clips.find((c) => c.path === cut)?.problems.map((p) => p.code)).toEqual(['UNDECODABLE']);
      for (const clip of clips.filter((c) => c.status === 'ok')) {
        expect(existsSync(core.store.clips.thumbnail(clip.id)!)).toBe(true);
      }
      const tools = commands.map((c) => c.split(' ')[0]!.split('/').pop());
      expect(tools.filter((t) => t === 'ffprobe')).toHaveLength(paths.length);
      // Each batch without the cut clip: one FFmpeg run with every clip of the batch in it, and no other run.
      const batches = analysisBatches(paths);
      const clean = batches.filter((b) => !b.includes(cut));
      expect(clean.filter((b) => b.length > 1).length).toBeGreaterThan(0);
      for (const batch of clean) {
        const runs = commands.filter((c) => !/ffprobe/.test(c.split(' ')[0]!) && batch.some((p) => c.includes(p)));
        expect(runs).toHaveLength(1);
        for (const p of batch) expect(runs[0]).toContain(p);
      }
    } finally {
      setCommandLogger(() => {});
      await core.close();
    }
  }, 120_000);
});
