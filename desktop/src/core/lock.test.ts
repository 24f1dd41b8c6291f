import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { lockDataDir } from './lock.ts';

const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

describe('lockDataDir', () => {
  it('refuses a folder locked by a live process, takes over a stale lock, releases its own', () => {
    const dir = mkdtempSync(join(tmpdir(), 'vmp-lock-'));
    dirs.push(dir);
    // The parent of this test process is alive and is not us.
    writeFileSync(join(dir, 'vmp.lock'), String(process.ppid));
    expect(() => lockDataDir(dir)).toThrow(/already running on .* \(process \d+\)/);
    // A process that has exited leaves a stale lock.
    const gone = spawnSync(process.execPath, ['-e', 'console.log(process.pid)'], { encoding: 'utf8' });
    writeFileSync(join(dir, 'vmp.lock'), gone.stdout.trim());
    const release = lockDataDir(dir);
    expect(existsSync(join(dir, 'vmp.lock'))).toBe(true);
    release();
    expect(existsSync(join(dir, 'vmp.lock'))).toBe(false);
  });
});

describe('lockDataDir with processes racing for it', () => {
  it('lets exactly one process in at a time: a lock being created is never taken for a stale one', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'vmp-lock-race-'));
    dirs.push(dir);
    const script = join(dirname(fileURLToPath(import.meta.url)), '..', '..', 'test', 'helpers', 'lock-contender.ts');
    const run = () =>
      new Promise<string>((resolve, reject) => {
        const child = spawn(process.execPath, ['--import', 'tsx', script, dir, '400'], {
          stdio: ['ignore', 'pipe', 'pipe'],
        });
        let out = '';
        let err = '';
        child.stdout.on('data', (d: Buffer) => (out += d.toString()));
        child.stderr.on('data', (d: Buffer) => (err += d.toString()));
        child.on('exit', (code) => (code === 0 ? resolve(out) : reject(new Error(`contender exited ${code}: ${err}`))));
      });
    const outputs = await Promise.all([run(), run(), run(), run()]);
    const stats = outputs.map((o) => /acquired=(\d+) overlaps=(\d+)/.exec(o)!.slice(1).map(Number));
    expect(stats.reduce((n, [acquired]) => n + acquired!, 0)).toBeGreaterThan(0);
    expect(stats.map(([, overlaps]) => overlaps)).toEqual([0, 0, 0, 0]);
  }, 60_000);
});
