import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeClip } from '../../test/fixtures/media.ts';
import { call, callFails } from '../../test/helpers/core.ts';
import { type Core, createCore } from './core.ts';
import { hostPlatform } from './platform.ts';

let root: string;
let core: Core;
let red: string;
let blue: string;

beforeAll(async () => {
  root = mkdtempSync(join(tmpdir(), 'vmp-clips-'));
  red = await makeClip(join(root, 'media'), 'red', { color: 'red', duration: 0.5 });
  blue = await makeClip(join(root, 'media'), 'blue', { color: 'blue', duration: 0.5 });
  core = createCore({
    dataDir: join(root, 'data'),
    defaultOutputDir: join(root, 'out'),
    platform: hostPlatform({ PATH: '' }, 'linux'),
  });
});

afterAll(async () => {
  await core?.close();
  rmSync(root, { recursive: true, force: true });
});

/** Paths that cannot be read as files: a symlink loop, a path through a file, a FIFO (reading it would block). */
function badPaths(): { loop: string; throughFile: string; fifo: string } {
  const dir = mkdtempSync(join(root, 'bad-'));
  symlinkSync('b.mp4', join(dir, 'a.mp4'));
  symlinkSync('a.mp4', join(dir, 'b.mp4'));
  const fifo = join(dir, 'pipe.mp4');
  execFileSync('mkfifo', [fifo]);
  return { loop: join(dir, 'a.mp4'), throughFile: join(red, 'inside.mp4'), fifo };
}

describe('clips with paths that cannot be read', () => {
  it('imports the good files of a list and skips each bad path with a reason naming it', async () => {
    const project = await call(core, 'projects.create', { name: 'Bad paths', mode: 'auto' });
    const bad = badPaths();
    const result = await call(core, 'clips.import', {
      projectId: project.id,
      paths: [red, bad.loop, bad.throughFile, bad.fifo, blue],
    });
    expect(result.clips.map((c) => [c.name, c.status])).toEqual([
      ['red.mp4', 'ok'],
      ['blue.mp4', 'ok'],
    ]);
    expect(result.skipped).toEqual([
      { path: bad.loop, reason: expect.stringMatching(/symbolic links.*loop/i) },
      { path: bad.throughFile, reason: expect.stringMatching(/not a folder/i) },
      { path: bad.fifo, reason: expect.stringMatching(/not a regular file/i) },
    ]);
    for (const s of result.skipped) expect(s.reason).toContain(s.path);
    const { clips } = await call(core, 'projects.get', { projectId: project.id });
    expect(clips.map((c) => c.status)).toEqual(['ok', 'ok']);
  });

  it('answers a relink to such a path with a validation error naming the path', async () => {
    const project = await call(core, 'projects.create', { name: 'Relink bad', mode: 'auto' });
    const { clips } = await call(core, 'clips.import', { projectId: project.id, paths: [red] });
    const bad = badPaths();
    for (const path of [bad.loop, bad.throughFile, bad.fifo]) {
      const error = await callFails(core, 'clips.relink', { clipId: clips[0]!.id, path });
      expect(error).toMatchObject({ code: 'VALIDATION_ERROR', details: { field: 'path', path } });
      expect(error.message).toContain(path);
    }
  });
});

describe('thumbnails shared by content', () => {
  it('keeps a thumbnail while another clip (of any project) still uses it', async () => {
    // Content of its own: no clip of another test shares this still.
    const green = await makeClip(join(root, 'thumbs'), 'green', { color: 'green', duration: 0.5 });
    const a = await call(core, 'projects.create', { name: 'Thumbs A', mode: 'auto' });
    const b = await call(core, 'projects.create', { name: 'Thumbs B', mode: 'auto' });
    const c = await call(core, 'projects.create', { name: 'Thumbs C', mode: 'auto' });
    const [inA] = (await call(core, 'clips.import', { projectId: a.id, paths: [green] })).clips;
    const [inB] = (await call(core, 'clips.import', { projectId: b.id, paths: [green] })).clips;
    const [inC] = (await call(core, 'clips.import', { projectId: c.id, paths: [green] })).clips;
    const thumb = core.thumbnailFile(inA!.id)!;
    expect(thumb).toBeTruthy();
    expect(core.thumbnailFile(inB!.id)).toBe(thumb);
    expect(core.thumbnailFile(inC!.id)).toBe(thumb);

    await call(core, 'clips.remove', { projectId: a.id, clipIds: [inA!.id] });
    expect(existsSync(thumb)).toBe(true);
    await call(core, 'projects.delete', { projectId: b.id });
    expect(existsSync(thumb)).toBe(true);
    // The last clip using it goes: so does the still.
    await call(core, 'clips.remove', { projectId: c.id, clipIds: [inC!.id] });
    expect(existsSync(thumb)).toBe(false);
  });
});
