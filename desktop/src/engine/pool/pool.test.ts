import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { CancelledError, FfmpegFailedError } from '../errors.ts';
import type { FfmpegProgress } from '../ffmpeg/command.ts';
import { FfmpegPool, resolveWorker } from './pool.ts';

// Jobs read lavfi sources and write to the null muxer: real FFmpeg runs, no files.
const job = (seconds: number) => ({
  args: ['-f', 'lavfi', '-i', `testsrc2=s=320x240:r=30:d=${seconds}`, '-f', 'null', '-'],
  label: 'Test job',
});

const root = mkdtempSync(join(tmpdir(), 'vmp-pool-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

describe('FFmpeg worker pool', () => {
  it('runs from the TypeScript source through the tsx bootstrap', () => {
    expect(resolveWorker()).toMatch(/worker-dev\.mjs$/);
  });

  it('runs jobs in worker threads, reports progress and the command, respects the concurrency', async () => {
    const commands: string[] = [];
    const pool = new FfmpegPool({ concurrency: 1, onCommand: (c) => commands.push(c) });
    try {
      const progress: FfmpegProgress[] = [];
      let maxActive = 0;
      const track = (p: FfmpegProgress) => {
        progress.push(p);
        maxActive = Math.max(maxActive, pool.active);
      };
      await Promise.all([pool.run(job(2), { onProgress: track }), pool.run(job(1), { onProgress: track })]);
      expect(maxActive).toBe(1);
      expect(progress.filter((p) => p.done)).toHaveLength(2);
      expect(progress.some((p) => p.frame > 0)).toBe(true);
      expect(commands).toHaveLength(2);
      expect(commands[0]).toContain('-progress pipe:1');
      expect(commands[0]).toContain('testsrc2=s=320x240:r=30:d=2');
    } finally {
      await pool.destroy();
    }
  });

  it('cancel kills the running FFmpeg and drops queued jobs', async () => {
    const pool = new FfmpegPool({ concurrency: 1 });
    try {
      const controller = new AbortController();
      let started = false;
      const running = pool.run(job(3600), {
        signal: controller.signal,
        onProgress: () => {
          if (!started) {
            started = true;
            controller.abort();
          }
        },
      });
      const queued = pool.run(job(1), { signal: controller.signal }).catch((e: unknown) => e);
      await expect(running).rejects.toBeInstanceOf(CancelledError);
      expect(await queued).toBeInstanceOf(CancelledError);
      expect(pool.active).toBe(0);
      // The pool is still usable.
      await pool.run(job(0.1));
    } finally {
      await pool.destroy();
    }
  });

  it('a failing command rejects with FfmpegFailedError carrying the command', async () => {
    const pool = new FfmpegPool({ concurrency: 1 });
    try {
      const error = await pool
        .run({ args: ['-i', '/nonexistent/clip.mp4', '-f', 'null', '-'], label: 'Reading' })
        .catch((e) => e);
      expect(error).toBeInstanceOf(FfmpegFailedError);
      expect(error.code).toBe('FFMPEG_FAILED');
      expect(error.message).toContain('Reading');
      expect(error.command).toContain('/nonexistent/clip.mp4');
    } finally {
      await pool.destroy();
    }
  });

  it('a new concurrency applies at once: a waiting job starts without any running one finishing', async () => {
    const pool = new FfmpegPool({ concurrency: 1 });
    const controller = new AbortController();
    try {
      const progressOf = new Map<string, number>();
      const runs = ['a', 'b'].map((name) =>
        pool
          .run(job(3600), { signal: controller.signal, onProgress: () => progressOf.set(name, 1) })
          .catch((e: unknown) => e),
      );
      expect([pool.active, pool.queued]).toEqual([1, 1]);
      pool.setConcurrency(2);
      expect([pool.active, pool.queued]).toEqual([2, 0]);
      // Both FFmpeg processes really run side by side (neither of the hour-long jobs can have finished).
      while (progressOf.size < 2) await new Promise((r) => setTimeout(r, 20));
      pool.setConcurrency(1);
      expect(pool.concurrency).toBe(1);
      controller.abort();
      for (const outcome of await Promise.all(runs)) expect(outcome).toBeInstanceOf(CancelledError);
      expect(pool.active).toBe(0);
    } finally {
      await pool.destroy();
    }
  });

  it('runs only the CPU tasks its worker entry was given (the app gives core/cpu-tasks.ts)', async () => {
    const pool = new FfmpegPool<{ summarisePlan: () => never }>({ concurrency: 1 });
    try {
      const missing = await pool.compute('summarisePlan').catch((e: unknown) => e);
      expect(missing).toMatchObject({ code: 'INTERNAL_ERROR', message: 'This worker has no task "summarisePlan".' });
    } finally {
      await pool.destroy();
    }
  });
});
