import { describe, expect, it } from 'vitest';
import { parseWorkerArgs } from './worker.ts';

describe('vmp worker arguments', () => {
  it('takes the farm URL, path maps (their targets become the roots), concurrency and cache', () => {
    const options = parseWorkerArgs(
      [
        '--farm',
        'redis://farm:6379',
        '--path-map',
        '/Volumes/Share=/mnt/share',
        '-j',
        '3',
        '--cache-dir',
        '/mnt/share/c',
      ],
      {},
    );
    expect(options).toMatchObject({
      url: 'redis://farm:6379',
      concurrency: 3,
      pathMap: [{ from: '/Volumes/Share', to: '/mnt/share' }],
      roots: ['/mnt/share'],
      cacheDir: '/mnt/share/c',
      graceSeconds: 30,
    });
    expect(parseWorkerArgs(['--farm', 'redis://f', '--path-map', '/a=/b', '--root', '/srv'], {}).roots).toEqual([
      '/srv',
    ]);
  });

  it('refuses a missing or bad URL, bad maps and a worker with no shared root, naming the flag', () => {
    expect(() => parseWorkerArgs(['--root', '/srv'], {})).toThrow(/--farm <redis:\/\/host:port> is required/);
    expect(() => parseWorkerArgs(['--farm', 'http://x', '--root', '/srv'], {})).toThrow(/redis:\/\/ or rediss:\/\//);
    expect(() => parseWorkerArgs(['--farm', 'redis://x', '--path-map', 'nope'], {})).toThrow(
      /--path-map must look like/,
    );
    expect(() => parseWorkerArgs(['--farm', 'redis://x'], {})).toThrow(/--root <dir> or --path-map/);
    expect(() => parseWorkerArgs(['--farm', 'redis://x', '--root', '/s', '-j', '0'], {})).toThrow(
      /--concurrency must be/,
    );
  });
});
