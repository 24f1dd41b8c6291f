import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { makeClip, truncatedCopy } from '../../test/fixtures/media.ts';
import { analyseClip } from '../engine/validate/analyse.ts';
import { analyseFiles } from './analyse-files.ts';

const root = mkdtempSync(join(tmpdir(), 'vmp-analyse-files-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

describe('analyseFiles with a cache folder', () => {
  it('analyses a clean clip once: a second run over the same content spawns no probe or decode check', async () => {
    const good = await makeClip(join(root, 'media'), 'good', { duration: 1 });
    const cut = await truncatedCopy(good, 0.5, join(root, 'media', 'cut.mp4'));
    const cacheDir = join(root, 'cache');
    const calls: string[] = [];
    const analyse: typeof analyseClip = (path, o) => {
      calls.push(path);
      return analyseClip(path, o);
    };
    const first = await analyseFiles([good, cut], { cacheDir, analyse });
    expect(first[0]).toMatchObject({ problems: [] });
    expect(first[1]!.problems.length).toBeGreaterThan(0);
    const second = await analyseFiles([good, cut], { cacheDir, analyse });
    // The clean clip comes from the cache; a clip with problems is analysed again (its messages name the file).
    // Clips are analysed in parallel: the order of the calls is not fixed, their count is.
    expect([...calls].sort()).toEqual([good, cut, cut].sort());
    expect(second[0]).toEqual(first[0]);
    expect(second[1]!.problems).toEqual(first[1]!.problems);
  }, 120_000);
});
