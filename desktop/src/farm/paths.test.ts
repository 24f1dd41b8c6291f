import { mkdir, mkdtemp, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { assertUnderRoots, isUnderRoots, mapPath, parsePathMapping } from './paths.ts';

describe('path maps', () => {
  it('parses A=B, trims trailing separators, refuses relative or half-given maps', () => {
    expect(parsePathMapping('/Volumes/Share/=/mnt/share')).toEqual({ from: '/Volumes/Share', to: '/mnt/share' });
    expect(parsePathMapping('S:\\Media=/mnt/media')).toEqual({ from: 'S:\\Media', to: '/mnt/media' });
    expect(() => parsePathMapping('/a')).toThrow(/--path-map must look like/);
    expect(() => parsePathMapping('=/b')).toThrow(/--path-map must look like/);
    expect(() => parsePathMapping('share=/mnt/share')).toThrow(/absolute/);
  });

  it('maps the longest matching prefix, only at a folder boundary, Windows separators included', () => {
    const maps = [parsePathMapping('/Volumes/Share=/mnt/share'), parsePathMapping('/Volumes/Share/big=/mnt/big')];
    expect(mapPath('/Volumes/Share/clips/a.mp4', maps)).toBe('/mnt/share/clips/a.mp4');
    expect(mapPath('/Volumes/Share/big/a.mp4', maps)).toBe('/mnt/big/a.mp4');
    expect(mapPath('/Volumes/Shared/a.mp4', maps)).toBe('/Volumes/Shared/a.mp4');
    expect(mapPath('S:\\Media\\clips\\a.mp4', [parsePathMapping('S:\\Media=/mnt/media')])).toBe(
      '/mnt/media/clips/a.mp4',
    );
    // ".." cannot climb out of the target unnoticed: the result is resolved, then checked against the roots.
    expect(mapPath('/Volumes/Share/../../etc/passwd', maps)).toBe('/etc/passwd');
  });

  it('tells paths inside the roots from paths outside', () => {
    expect(isUnderRoots('/mnt/share', ['/mnt/share'])).toBe(true);
    expect(isUnderRoots('/mnt/share/x/y.mp4', ['/mnt/share'])).toBe(true);
    expect(isUnderRoots('/mnt/shared/y.mp4', ['/mnt/share'])).toBe(false);
    expect(isUnderRoots('/etc/passwd', ['/mnt/share', '/srv'])).toBe(false);
  });
});

describe('assertUnderRoots', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'vmp-farm-paths-'));
    await mkdir(join(dir, 'share', 'clips'), { recursive: true });
    await mkdir(join(dir, 'secret'), { recursive: true });
    await writeFile(join(dir, 'secret', 'key.mp4'), 'x');
    await symlink(join(dir, 'secret'), join(dir, 'share', 'escape'));
  });
  afterAll(() => rm(dir, { recursive: true, force: true }));

  it('accepts paths in the root, including files not made yet', async () => {
    const roots = [join(dir, 'share')];
    await expect(assertUnderRoots(join(dir, 'share', 'clips', 'a.mp4'), roots, 'clip')).resolves.toBeUndefined();
    await expect(assertUnderRoots(join(dir, 'share', 'out', 'new', 'x.mp4'), roots, 'output')).resolves.toBeUndefined();
  });

  it('refuses paths outside, and symbolic links that lead out, naming the path', async () => {
    const roots = [join(dir, 'share')];
    const outside = join(dir, 'secret', 'key.mp4');
    await expect(assertUnderRoots(outside, roots, 'clip')).rejects.toMatchObject({
      code: 'FARM_PATH_REFUSED',
      message: expect.stringContaining(`Refused clip "${outside}"`),
    });
    const viaLink = join(dir, 'share', 'escape', 'key.mp4');
    await expect(assertUnderRoots(viaLink, roots, 'clip')).rejects.toMatchObject({ code: 'FARM_PATH_REFUSED' });
  });
});
