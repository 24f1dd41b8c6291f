import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ClipAnalysis } from '../engine/validate/analyse.ts';
import { UsageError } from './command.ts';
import { defaultCacheDir, parseMixArgs, planInputFor } from './mix.ts';
import { probeTable } from './probe.ts';
import { createProgressReporter, formatDuration, progressLine } from './progress.ts';
import { naturalCompare, scanMixFolder } from './scan.ts';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'vmp-cli-unit-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('parseMixArgs', () => {
  it('applies defaults and resolves paths', () => {
    const options = parseMixArgs(['clips', '--out', 'videos'], { VMP_CACHE_DIR: '/tmp/c' });
    expect(options).toMatchObject({
      folder: resolve('clips'),
      out: resolve('videos'),
      seed: 1,
      format: '9:16',
      fit: 'cover',
      strategy: 'fast',
      clipsPerOutput: 3,
      loudness: 'normalize',
      cacheDir: '/tmp/c',
      json: false,
    });
    expect(options.count).toBeUndefined();
    expect(options.concurrency).toBeGreaterThanOrEqual(1);
  });

  it('reads every flag', () => {
    const options = parseMixArgs(
      [
        'c',
        '-o',
        'o',
        '--count',
        '12',
        '--seed',
        '0',
        '--format',
        '16:9',
        '--fit',
        'blur',
        '--strategy',
        'unique',
      ].concat(['--clips-per-output', '4', '--concurrency', '2', '--cache-dir', 'cc', '--json', '--loudness', 'off']),
      {},
    );
    expect(options).toMatchObject({
      count: 12,
      seed: 0,
      format: '16:9',
      fit: 'blur',
      strategy: 'unique',
      clipsPerOutput: 4,
      loudness: 'off',
      concurrency: 2,
      cacheDir: resolve('cc'),
      json: true,
    });
  });

  it('names the flag that is wrong', () => {
    const bad: Array<[string[], RegExp]> = [
      [['c'], /--out <dir> is required/],
      [['--out', 'o'], /Give the folder/],
      [['a', 'b', '--out', 'o'], /exactly one folder/],
      [['c', '--out', 'o', '--count', '0'], /--count must be a whole number from 1/],
      [['c', '--out', 'o', '--count', '2.5'], /--count/],
      [['c', '--out', 'o', '--seed', '-1'], /--seed/],
      [['c', '--out', 'o', '--fit', 'stretch'], /--fit must be one of cover, contain, blur/],
      [['c', '--out', 'o', '--strategy', 'slow'], /--strategy/],
      [['c', '--out', 'o', '--clips-per-output', '21'], /--clips-per-output must be a whole number from 1 to 20/],
      [['c', '--out', 'o', '--colour', 'red'], /colour/],
      [['c', '--out', 'o', '--loudness', 'loud'], /--loudness must be one of normalize, off/],
    ];
    for (const [args, message] of bad) {
      expect(() => parseMixArgs(args, {}), args.join(' ')).toThrow(UsageError);
      expect(() => parseMixArgs(args, {}), args.join(' ')).toThrow(message);
    }
  });

  it('picks a per-OS cache folder unless VMP_CACHE_DIR is set', () => {
    expect(defaultCacheDir({ VMP_CACHE_DIR: 'x' }, 'linux')).toBe(resolve('x'));
    expect(defaultCacheDir({ XDG_CACHE_HOME: '/xdg' }, 'linux')).toBe('/xdg/video-mixer-pro');
    expect(defaultCacheDir({ LOCALAPPDATA: 'C:/Users/a/AppData/Local' }, 'win32')).toContain('VideoMixerPro');
  });
});

describe('scanMixFolder', () => {
  it('sorts naturally', () => {
    expect(['10-outro', '2-body', '1-intro', 'B', 'a'].sort(naturalCompare)).toEqual([
      '1-intro',
      '2-body',
      '10-outro',
      'a',
      'B',
    ]);
  });

  it('turns sub-folders into groups and ignores hidden files; loose files are listed as ignored', async () => {
    const root = join(dir, 'manual');
    for (const g of ['10-outro', '2-body', '1-intro']) await mkdir(join(root, g), { recursive: true });
    await writeFile(join(root, '2-body', 'clip10.mp4'), 'x');
    await writeFile(join(root, '2-body', 'clip9.mp4'), 'x');
    await writeFile(join(root, '2-body', '.DS_Store'), 'x');
    await writeFile(join(root, 'readme.txt'), 'x');
    await mkdir(join(root, '.hidden'));
    const scanned = await scanMixFolder(root);
    expect(scanned.mode).toBe('manual');
    if (scanned.mode !== 'manual') return;
    expect(scanned.groups.map((g) => g.name)).toEqual(['1-intro', '2-body', '10-outro']);
    expect(scanned.groups[1]?.files).toEqual([join(root, '2-body', 'clip9.mp4'), join(root, '2-body', 'clip10.mp4')]);
    expect(scanned.ignored).toEqual([join(root, 'readme.txt')]);
  });

  it('treats a folder of files as auto mode and skips the output folder inside it', async () => {
    const root = join(dir, 'auto');
    await mkdir(join(root, 'out'), { recursive: true });
    await writeFile(join(root, 'b.mp4'), 'x');
    await writeFile(join(root, 'a.mp4'), 'x');
    const scanned = await scanMixFolder(root, [join(root, 'out')]);
    expect(scanned).toEqual({
      mode: 'auto',
      files: [join(root, 'a.mp4'), join(root, 'b.mp4')],
      ignored: [],
      captions: new Map(),
      unusedText: [],
    });
    await expect(scanMixFolder(join(root, 'a.mp4'))).rejects.toThrow(/is a file/);
    await expect(scanMixFolder(join(dir, 'missing'))).rejects.toThrow(UsageError);
  });
});

const analysis = (path: string, ok = true): ClipAnalysis => ({
  path,
  size: 10,
  hash: ok ? 'h' : null,
  info: ok ? { container: 'mp4', duration: 2, size: 10, video: null, audio: null } : null,
  problems: ok ? [] : [{ code: 'NOT_A_VIDEO', message: `"${path}" is not a video file.` }],
});

describe('planInputFor', () => {
  it('maps groups and marks clips with problems as unusable', () => {
    const analyses = new Map([
      ['/g/a/1.mp4', analysis('/g/a/1.mp4')],
      ['/g/a/2.txt', analysis('/g/a/2.txt', false)],
    ]);
    const input = planInputFor(
      { mode: 'manual', groups: [{ name: 'a', dir: '/g/a', files: ['/g/a/1.mp4', '/g/a/2.txt'] }], ignored: [] },
      analyses,
      { seed: 3, clipsPerOutput: 3 },
    );
    expect(input).toEqual({
      mode: 'manual',
      seed: 3,
      groups: [
        {
          name: 'a',
          clips: [
            { id: '/g/a/1.mp4', duration: 2, valid: true },
            { id: '/g/a/2.txt', duration: 0, valid: false },
          ],
        },
      ],
    });
  });
});

describe('output formatting', () => {
  it('formats durations and a bounded progress line', () => {
    expect(formatDuration(5)).toBe('5s');
    expect(formatDuration(125)).toBe('2m 05s');
    expect(formatDuration(3 * 3600 + 60)).toBe('3h 01m');
    expect(formatDuration(Number.NaN)).toBe('--');
    const line = progressLine({ label: 'Rendering', fraction: 0.5, done: 5, total: 10, etaSeconds: 65 }, 80);
    expect(line).toMatch(/^\[#+\.+\] {2}50% Rendering 5\/10 ETA 1m 05s$/);
    expect(line.length).toBeLessThan(80);
  });

  it('writes plain lines when stderr is not a terminal, once per step', () => {
    const chunks: string[] = [];
    const stream = { write: (c: string) => chunks.push(c) > 0, isTTY: false } as unknown as NodeJS.WritableStream;
    const reporter = createProgressReporter(stream);
    reporter.update({ label: 'Rendering', fraction: 0.1, done: 0, total: 2, etaSeconds: null });
    reporter.update({ label: 'Rendering', fraction: 0.11, done: 0, total: 2, etaSeconds: null });
    reporter.update({ label: 'Rendering', fraction: 0.5, done: 1, total: 2, etaSeconds: 3 });
    reporter.finish();
    expect(chunks).toEqual(['Rendering 0/2 (10%)\n', 'Rendering 1/2 (50%, ETA 3s)\n']);
  });

  it('redraws one line on a terminal', () => {
    const chunks: string[] = [];
    const stream = {
      write: (c: string) => chunks.push(c) > 0,
      isTTY: true,
      columns: 60,
    } as unknown as NodeJS.WritableStream;
    const reporter = createProgressReporter(stream);
    reporter.update({ label: 'Rendering', fraction: 1, done: 2, total: 2, etaSeconds: 0 });
    reporter.finish();
    expect(chunks[0]).toMatch(/^\r\x1b\[2K\[#+\] 100% Rendering 2\/2 ETA 0s$/);
    expect(chunks[1]).toBe('\n');
  });

  it('prints a probe table with each problem under its file', () => {
    const table = probeTable([analysis('/w/good.mp4'), analysis('/w/bad.txt', false)], '/w');
    const lines = table.trimEnd().split('\n');
    expect(lines[0]).toMatch(/^FILE\s+DURATION\s+SIZE/);
    expect(lines[1]).toMatch(/^good\.mp4\s+2\.00s.*ok$/);
    expect(lines[2]).toMatch(/^bad\.txt\s+-.*NOT_A_VIDEO$/);
    expect(lines[3]).toBe('    "/w/bad.txt" is not a video file.');
  });
});
