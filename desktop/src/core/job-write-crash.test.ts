import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import Database from 'better-sqlite3';
import { afterAll, describe, expect, it } from 'vitest';
import { makeClip } from '../../test/fixtures/media.ts';
import { createCore } from './core.ts';
import { hostPlatform } from './platform.ts';

const root = mkdtempSync(join(tmpdir(), 'vmp-job-write-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

const child = join(dirname(fileURLToPath(import.meta.url)), 'testing', 'start-big-job.ts');

/** Jobs in the database file and how many output rows each has, read by a connection of this process. */
function jobRows(dataDir: string): { id: string; total: number; rows: number }[] {
  const db = new Database(join(dataDir, 'vmp.sqlite'), { readonly: true, fileMustExist: true });
  try {
    return db
      .prepare('select j.id, j.total, (select count(*) from outputs o where o.job_id = j.id) as rows from jobs j')
      .all() as never;
  } finally {
    db.close();
  }
}

describe('writing a job', () => {
  it('SIGKILLed while the 10,000 output rows go in: after restart the job is whole or absent', async () => {
    const dataDir = join(root, 'data');
    const clip = await makeClip(join(root, 'media'), 'clip', { duration: 0.5 });
    const proc = spawn(process.execPath, ['--import', 'tsx', child, dataDir, clip], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const exited = new Promise<void>((resolve) => proc.once('exit', () => resolve()));
    let stderr = '';
    proc.stderr!.on('data', (c: Buffer) => {
      stderr += c.toString();
    });
    await new Promise<void>((resolve, reject) => {
      proc.stdout!.on('data', (c: Buffer) => {
        if (c.toString().includes('starting')) resolve();
      });
      proc.once('exit', (code) => reject(new Error(`child exited (${code}) before starting the job: ${stderr}`)));
    });
    // Kill it the moment a job row can be seen (the earliest point a reader, or a crash, could catch it).
    let seen: { id: string; total: number; rows: number }[] = [];
    while (proc.exitCode === null && seen.length === 0) {
      seen = jobRows(dataDir);
      if (seen.length === 0) await new Promise((r) => setTimeout(r, 1));
    }
    proc.kill('SIGKILL');
    await exited;
    expect(seen, `the child finished before a job was seen: ${stderr}`).toHaveLength(1);

    const core = createCore({ dataDir, platform: hostPlatform({}, 'linux') });
    try {
      core.queue.pause();
      for (const job of jobRows(dataDir)) expect(job.rows).toBe(job.total);
    } finally {
      await core.close();
    }
  }, 120_000);
});
