import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { makeClip } from '../../test/fixtures/media.ts';
import { createCpuPool } from './cpu-tasks.ts';

const root = mkdtempSync(join(tmpdir(), 'vmp-import-commands-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

describe("an import's FFmpeg commands", () => {
  it('reach the pool’s command log from the analysis in a worker thread, as the render’s commands do', async () => {
    const commands: string[] = [];
    const pool = createCpuPool({ concurrency: 1, onCommand: (command) => commands.push(command) });
    try {
      const clip = await makeClip(join(root, 'media'), 'clip', { duration: 0.5 });
      const [result] = await pool.compute('analyseClips', [clip], { thumbnail: { cacheDir: join(root, 'thumbs') } });
      expect(result?.problems).toEqual([]);
      const tools = commands.map((c) => c.split(' ')[0]!.split('/').pop());
      expect(tools).toEqual(['ffprobe', 'ffmpeg']);
      expect(commands[1]).toContain(clip);
    } finally {
      await pool.destroy();
    }
  }, 60_000);
});
