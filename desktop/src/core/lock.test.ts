import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
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
