import { readdirSync, readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CancelledError } from '../errors.ts';
import { runFfmpeg } from './run.ts';
import { spawnWatched } from './watchdog.ts';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'vmp-watchdog-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

/** Pids of processes whose command line mentions `text`. */
function pidsMentioning(text: string): number[] {
  return readdirSync('/proc')
    .filter((e) => /^\d+$/.test(e))
    .filter((e) => {
      try {
        return readFileSync(`/proc/${e}/cmdline`, 'utf8').includes(text);
      } catch {
        return false;
      }
    })
    .map(Number);
}

function closed(child: ReturnType<typeof spawnWatched>['child']): Promise<number | null> {
  return new Promise((resolve) => child.on('close', (code) => resolve(code)));
}

describe.runIf(process.platform !== 'win32')('spawnWatched', () => {
  it('passes stdout, stderr and the exit code of the tool through', async () => {
    const { child } = spawnWatched('/bin/sh', ['-c', 'echo out; echo err >&2; exit 3']);
    let out = '';
    let err = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr.on('data', (d: Buffer) => (err += d.toString()));
    expect(await closed(child)).toBe(3);
    expect([out, err]).toEqual(['out\n', 'err\n']);
  });

  it('kills the tool itself on stop(), not just the watchdog', async () => {
    const marker = `30.${process.pid}${Date.now() % 1000}`;
    const { child, stop } = spawnWatched('sleep', [marker]);
    stop();
    expect(await closed(child)).not.toBe(0);
    expect(pidsMentioning(marker)).toEqual([]);
  });

  it('cancels a real FFmpeg run: CancelledError, and no FFmpeg left writing the file', async () => {
    const out = join(dir, 'cancelled.mp4');
    const controller = new AbortController();
    const run = runFfmpeg(['-f', 'lavfi', '-i', 'testsrc2=s=640x360:r=30:d=120', '-c:v', 'libx264', out], {
      signal: controller.signal,
      onProgress: () => controller.abort(),
    });
    await expect(run).rejects.toBeInstanceOf(CancelledError);
    expect(pidsMentioning(out)).toEqual([]);
  });
});
