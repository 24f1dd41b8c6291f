import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createLogFile, rotateIfLarge } from './log-file.ts';

const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

describe('createLogFile', () => {
  it('writes timestamped lines and rotates by size, keeping a fixed number of old files', () => {
    const dir = mkdtempSync(join(tmpdir(), 'vmp-logs-'));
    dirs.push(dir);
    const log = createLogFile({ dir: join(dir, 'logs'), maxBytes: 200, keep: 2, now: () => new Date(0) });
    log.info('started', { version: '1.2.3' });
    expect(readFileSync(log.file, 'utf8')).toBe("1970-01-01T00:00:00.000Z [info] started { version: '1.2.3' }\n");
    for (let i = 0; i < 20; i++) log.warn(`line ${i} ${'x'.repeat(40)}`);
    expect(readdirSync(join(dir, 'logs')).sort()).toEqual(['main.1.log', 'main.2.log', 'main.log']);
    expect(readFileSync(log.file, 'utf8').length).toBeLessThanOrEqual(200);
    expect(readFileSync(log.file, 'utf8')).toContain('line 19');
    expect(existsSync(join(dir, 'logs', 'main.3.log'))).toBe(false);
  });

  it('never throws when the folder cannot be written', () => {
    const dir = mkdtempSync(join(tmpdir(), 'vmp-logs-'));
    dirs.push(dir);
    const blocker = join(dir, 'file');
    writeFileSync(blocker, '');
    const log = createLogFile({ dir: join(blocker, 'logs') });
    expect(() => log.error('disk full')).not.toThrow();
  });

  it('rotates a log written elsewhere (FFmpeg commands) only once it is too big', () => {
    const dir = mkdtempSync(join(tmpdir(), 'vmp-logs-'));
    dirs.push(dir);
    writeFileSync(join(dir, 'ffmpeg-commands.log'), 'x'.repeat(100));
    expect(rotateIfLarge(dir, 'ffmpeg-commands.log', 100)).toBe(false);
    expect(rotateIfLarge(dir, 'missing.log', 100)).toBe(false);
    writeFileSync(join(dir, 'ffmpeg-commands.log'), 'x'.repeat(101));
    expect(rotateIfLarge(dir, 'ffmpeg-commands.log', 100)).toBe(true);
    expect(readdirSync(dir)).toEqual(['ffmpeg-commands.1.log']);
  });
});
