import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { ApiEvent, Job, Output, Project } from '@vmp/shared/api';
import { HOST_PATHS } from '@vmp/shared/api';
import Database from 'better-sqlite3';
import { afterAll, describe, expect, it } from 'vitest';
import { makeClip } from './fixtures/media.ts';
import { SocketClient } from './helpers/ws-client.ts';

const desktopDir = join(dirname(fileURLToPath(import.meta.url)), '..');
const cliMain = join(desktopDir, 'src', 'cli', 'main.ts');

interface Served {
  child: ChildProcess;
  url: string;
  client: SocketClient;
  exited: Promise<number | null>;
}

/** Starts `vmp serve` from source in its own process group, so a SIGKILL takes its FFmpeg children down too. */
async function serve(dataDir: string): Promise<Served> {
  const child = spawn(process.execPath, ['--import', 'tsx', cliMain, 'serve', '--port', '0', '--data-dir', dataDir], {
    cwd: desktopDir,
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, VMP_DATA_DIR: '', VMP_TOKEN: '' },
  });
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  let stderr = '';
  child.stderr!.on('data', (c: Buffer) => {
    stderr += c.toString();
  });
  const url = await new Promise<string>((resolve, reject) => {
    let out = '';
    child.stdout!.on('data', (c: Buffer) => {
      out += c.toString();
      const match = /running at (http:\/\/\S+)/.exec(out);
      if (match) resolve(match[1]!);
    });
    child.once('exit', (code) => reject(new Error(`vmp serve exited (${code}): ${stderr}`)));
  });
  const client = await SocketClient.connect(`${url.replace('http', 'ws').replace(/\/$/, '')}${HOST_PATHS.socket}`);
  return { child, url, client, exited };
}

const roots: string[] = [];
const children: ChildProcess[] = [];
afterAll(() => {
  for (const child of children) {
    try {
      process.kill(-child.pid!, 'SIGKILL');
    } catch {}
  }
  for (const root of roots) rmSync(root, { recursive: true, force: true });
});

function outputsInDb(dataDir: string): Pick<Output, 'id' | 'status' | 'attempts' | 'path'>[] {
  const db = new Database(join(dataDir, 'vmp.sqlite'), { readonly: true });
  try {
    return db.prepare('select id, status, attempts, path from outputs order by idx').all() as never;
  } finally {
    db.close();
  }
}

describe('crash safety of vmp serve', () => {
  it('SIGKILLed mid-render, restarted: the job finishes, nothing is rendered twice, no .part is left', async () => {
    const root = mkdtempSync(join(tmpdir(), 'vmp-crash-'));
    roots.push(root);
    const dataDir = join(root, 'data');
    const media = join(root, 'media');
    const paths = [
      await makeClip(media, 'red', { color: 'red', duration: 1 }),
      await makeClip(media, 'blue', { color: 'blue', duration: 1 }),
      await makeClip(media, 'pattern', { duration: 1 }),
    ];

    // First run: a job of 4 outputs, one at a time; the unique strategy re-encodes each (a second or more each).
    const first = await serve(dataDir);
    children.push(first.child);
    const c1 = first.client;
    await c1.ok('app.updateSettings', { concurrency: 1, defaultOutputDir: join(root, 'out') });
    const project = await c1.ok<Project>('projects.create', { name: 'Crash', mode: 'auto' });
    await c1.ok('clips.import', { projectId: project.id, paths });
    await c1.ok('projects.update', {
      projectId: project.id,
      settings: { clipsPerOutput: 2, count: 4, strategy: 'unique', format: '1:1', fps: 30 },
    });
    const job = await c1.ok<Job>('jobs.start', { projectId: project.id });
    // Kill as soon as one output is done and the next one has started.
    const completed = await c1.events.some<Extract<ApiEvent, { type: 'output.updated' }>>(
      (e) => e.type === 'output.updated' && e.output.status === 'completed',
    );
    await c1.events.some(
      (e) => e.type === 'output.updated' && e.output.status === 'processing' && e.output.id !== completed.output.id,
    );
    process.kill(-first.child.pid!, 'SIGKILL');
    await first.exited;

    const atCrash = outputsInDb(dataDir);
    const doneBefore = atCrash.filter((o) => o.status === 'completed');
    const interrupted = atCrash.filter((o) => o.status === 'processing');
    expect(doneBefore.length).toBeGreaterThanOrEqual(1);
    expect(interrupted.length).toBe(1);
    const before = new Map(doneBefore.map((o) => [o.id, statSync(o.path!)]));

    // Second run on the same data folder.
    const second = await serve(dataDir);
    children.push(second.child);
    const c2 = second.client;
    const current = await c2.ok<Job>('jobs.get', { jobId: job.id });
    const finished =
      current.status === 'completed'
        ? current
        : (
            await c2.events.some<Extract<ApiEvent, { type: 'job.updated' }>>(
              (e) => e.type === 'job.updated' && e.job.id === job.id && e.job.status === 'completed',
            )
          ).job;
    expect(finished).toMatchObject({ completed: 4, failed: 0, total: 4 });

    const after = outputsInDb(dataDir);
    expect(after.every((o) => o.status === 'completed')).toBe(true);
    const jobDir = dirname(after[0]!.path!);
    expect(readdirSync(jobDir).sort()).toEqual(after.map((o) => basename(o.path!)).sort());
    for (const o of after) {
      const prior = before.get(o.id);
      if (prior) {
        // Completed before the crash: the very same file, untouched, rendered in one attempt.
        const now = statSync(o.path!);
        expect([now.ino, now.mtimeMs, now.size]).toEqual([prior.ino, prior.mtimeMs, prior.size]);
        expect(o.attempts).toBe(1);
      }
    }
    expect(after.find((o) => o.id === interrupted[0]!.id)!.attempts).toBe(2);

    // The command log of both runs: outputs finished before the crash were encoded exactly once. The interrupted one
    // was encoded again after the restart (once more if the kill came during its encode, not its clip preparation).
    const log = readFileSync(join(dataDir, 'logs', 'ffmpeg-commands.log'), 'utf8');
    const writes = (o: { path: string | null }) =>
      log.split('\n').filter((l) => l.includes(`${basename(o.path!)}.part`)).length;
    for (const o of after) {
      if (before.has(o.id)) expect(writes(o), basename(o.path!)).toBe(1);
      else if (o.id === interrupted[0]!.id) expect(writes(o)).toBeGreaterThanOrEqual(1);
      else expect(writes(o), basename(o.path!)).toBe(1);
    }

    // Graceful stop (SIGTERM) exits cleanly.
    c2.close();
    process.kill(second.child.pid!, 'SIGTERM');
    expect(await second.exited).toBe(0);
    expect(existsSync(join(dataDir, 'vmp.sqlite'))).toBe(true);
  });

  it('SIGTERM mid-render stops gracefully: FFmpeg killed, the output back to PENDING uncounted, no .part', async () => {
    const root = mkdtempSync(join(tmpdir(), 'vmp-term-'));
    roots.push(root);
    const dataDir = join(root, 'data');
    const paths = [
      await makeClip(join(root, 'media'), 'a', { color: 'red', duration: 1 }),
      await makeClip(join(root, 'media'), 'b', { duration: 1 }),
    ];
    const run = await serve(dataDir);
    children.push(run.child);
    const c = run.client;
    await c.ok('app.updateSettings', { concurrency: 1, defaultOutputDir: join(root, 'out') });
    const project = await c.ok<Project>('projects.create', { name: 'Term', mode: 'auto' });
    await c.ok('clips.import', { projectId: project.id, paths });
    await c.ok('projects.update', {
      projectId: project.id,
      settings: { clipsPerOutput: 2, count: 2, strategy: 'unique', format: '1:1' },
    });
    await c.ok<Job>('jobs.start', { projectId: project.id });
    await c.events.some((e) => e.type === 'output.updated' && e.output.status === 'processing');
    process.kill(run.child.pid!, 'SIGTERM');
    expect(await run.exited).toBe(0);

    const outputs = outputsInDb(dataDir);
    expect(outputs.some((o) => o.status === 'processing')).toBe(false);
    const interrupted = outputs.filter((o) => o.status === 'pending');
    expect(interrupted.length).toBeGreaterThanOrEqual(1);
    for (const o of interrupted) expect(o.attempts).toBe(0);
    const jobDir = dirname(outputs[0]!.path!);
    const left = existsSync(jobDir) ? readdirSync(jobDir) : [];
    expect(left.filter((n) => n.includes('.part'))).toEqual([]);
    // No FFmpeg of that process group survives it.
    expect(() => process.kill(-run.child.pid!, 0)).toThrow();
  });
});
