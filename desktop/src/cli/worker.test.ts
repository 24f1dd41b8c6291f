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

describe('vmp worker --storage (no shared folder)', () => {
  it('needs no --root with a bucket, and refuses anything but s3://bucket/prefix', () => {
    const options = parseWorkerArgs(['--farm', 'redis://x', '--storage', 's3://vmp-farm/agency'], {});
    expect(options.roots).toEqual([]);
    expect(options.storage?.url).toBe('s3://vmp-farm/agency');
    expect(() => parseWorkerArgs(['--farm', 'redis://x', '--storage', '/mnt/share'], {})).toThrow(
      /--storage must be s3:\/\/bucket\/prefix/,
    );
    expect(() => parseWorkerArgs(['--farm', 'redis://x', '--storage', 's3://A_B/x'], {})).toThrow(
      /is not a bucket name/,
    );
  });
});

describe('vmp worker as documented', () => {
  /** Every `vmp worker …` command line printed in the README and in --help, as arguments. */
  const documented = (text: string) =>
    [...text.matchAll(/(?:^|\s)(?:npx )?vmp worker (--farm[^\n#`]*)/g)].map((m) => m[1]!.trim());
  /** Synopses (`<url>`, `[…]`) must name --root as required; examples must run. */
  const isSynopsis = (line: string) => /[<[]/.test(line);

  it('every example in the README and in --help parses as printed (defect 9: --root was missing)', async () => {
    const { readFile } = await import('node:fs/promises');
    const readme = await readFile(new URL('../../../README.md', import.meta.url), 'utf8');
    const { workerCommand } = await import('./worker.ts');
    const lines = [...documented(readme), ...documented(workerCommand.usage)];
    const examples = lines.filter((l) => !isSynopsis(l));
    expect(examples.length).toBeGreaterThanOrEqual(3);
    for (const line of examples) expect(() => parseWorkerArgs(line.split(/\s+/), {}), line).not.toThrow();
    // Each synopsis names what the worker reads clips through: a shared folder (--root) or a bucket (--storage).
    for (const line of lines.filter(isSynopsis)) {
      expect(line).toMatch(/--root (DIR|<dir>)(?!\])|--storage s3:\/\/[^\s\]]+(?!\])/);
    }
  });
});
