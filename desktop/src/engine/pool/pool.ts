import { existsSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { fileURLToPath } from 'node:url';
import { MessageChannel } from 'node:worker_threads';
import { AppError } from '@vmp/shared/errors';
import Tinypool from 'tinypool';
import { onAbort } from '../abort/on-abort.ts';
import { CancelledError, FfmpegFailedError } from '../errors.ts';
import type { FfmpegProgress } from '../ffmpeg/command.ts';
import {
  CANCEL_MESSAGE,
  type CpuResult,
  type CpuTask,
  type TaskTable,
  type WorkerMessage,
  type WorkerResult,
  type WorkerTask,
} from './protocol.ts';

/**
 * FFmpeg processes at once: one per core, since one process leaves part of a second core idle (figures in
 * scripts/bench/README.md). On a machine busy with other work, lower it in settings.
 */
export const DEFAULT_CONCURRENCY = Math.max(1, availableParallelism());

/** Threads the pool may start: the settings' highest concurrency, so raising it never needs a new pool. */
export const MAX_THREADS = 16;

export interface FfmpegJob {
  args: string[];
  /** What failed, in the error message: "Normalising clip.mp4". */
  label?: string;
  /** Extra environment for the FFmpeg process (see RunOptions.env). */
  env?: Record<string, string>;
}

export interface JobOptions {
  signal?: AbortSignal;
  onProgress?: (progress: FfmpegProgress) => void;
  /** After the process succeeded, before its slot goes to the next job (which may then use what this one made). */
  onFinished?: () => Promise<void>;
}

export interface PoolOptions {
  concurrency?: number;
  onCommand?: (command: string) => void;
  /**
   * Worker module; default: worker.ts (FFmpeg only, no CPU tasks) through tsx in the repo, ffmpeg-worker.mjs beside
   * the bundle when packaged. A pool that runs CPU tasks is given the entry of its task table (core/cpu-worker.ts).
   */
  workerFile?: string;
}

/**
 * Where the worker code lives. From source (tests, dev: this file is .ts) the entry is worker-dev.mjs, which
 * registers tsx in the worker thread and loads worker.ts; in the packaged app this module is bundled into an .mjs
 * and the build emits the worker as `ffmpeg-worker.mjs` next to it. VMP_FFMPEG_WORKER overrides both.
 */
export function resolveWorker(explicit?: string): string {
  const chosen = explicit ?? process.env.VMP_FFMPEG_WORKER;
  if (chosen) return chosen;
  const fromSource = import.meta.url.endsWith('.ts');
  return fileURLToPath(new URL(fromSource ? './worker-dev.mjs' : './ffmpeg-worker.mjs', import.meta.url));
}

/** A worker_threads pool running FFmpeg jobs, at most `concurrency` at once, each cancellable on its own. */
export class FfmpegPool<Tasks extends TaskTable = TaskTable> {
  private limit: number;
  private readonly pool: Tinypool;
  private readonly onCommand: ((command: string) => void) | undefined;
  private running = 0;
  private readonly waiting: { start: () => void; signal: AbortSignal | undefined; reject: (e: Error) => void }[] = [];
  private closed = false;

  constructor(options: PoolOptions = {}) {
    this.limit = clampConcurrency(options.concurrency ?? DEFAULT_CONCURRENCY);
    this.onCommand = options.onCommand;
    const worker = resolveWorker(options.workerFile);
    if (!existsSync(worker)) throw new AppError('WORKER_MISSING', `FFmpeg worker not found at ${worker}`);
    this.pool = new Tinypool({
      filename: worker,
      minThreads: 0,
      maxThreads: MAX_THREADS,
      idleTimeout: 30_000,
      isolateWorkers: false,
    });
  }

  get concurrency(): number {
    return this.limit;
  }

  /** Applies at once: more slots start waiting jobs now; fewer let running jobs finish and start no more. */
  setConcurrency(concurrency: number): void {
    this.limit = clampConcurrency(concurrency);
    while (this.running < this.limit && this.waiting.length > 0) this.waiting.shift()!.start();
  }

  get active(): number {
    return this.running;
  }

  get queued(): number {
    return this.waiting.length;
  }

  /**
   * Runs one FFmpeg command in a worker. Rejects with CancelledError on abort (queued jobs never start). `job` may
   * be a function: it is called once a process slot is free, so the command can use what finished meanwhile.
   */
  async run(job: FfmpegJob | (() => Promise<FfmpegJob>), options: JobOptions = {}): Promise<void> {
    const { signal } = options;
    if (this.closed) throw new CancelledError('The render engine is shutting down.');
    if (signal?.aborted) throw new CancelledError();
    await this.acquire(signal);
    try {
      await this.execute(typeof job === 'function' ? await job() : job, options);
      await options.onFinished?.();
    } finally {
      this.release();
    }
  }

  /**
   * Runs one task of the worker's table in a worker thread, beside the FFmpeg jobs and not counted against their
   * concurrency. Errors come back as AppError with their code, status and details.
   */
  async compute<N extends keyof Tasks & string>(
    name: N,
    ...args: Parameters<Tasks[N]>
  ): Promise<Awaited<ReturnType<Tasks[N]>>> {
    if (this.closed) throw new CancelledError('The render engine is shutting down.');
    let result: CpuResult;
    if (this.onCommand) {
      const { port1, port2 } = new MessageChannel();
      port1.on('message', (message: WorkerMessage) => {
        if (message.type === 'command') this.onCommand?.(message.command);
      });
      const task: CpuTask = { kind: 'cpu', name, args, port: port2 };
      try {
        result = (await this.pool.run(task, { transferList: [port2] })) as CpuResult;
      } finally {
        port1.close();
      }
    } else {
      result = (await this.pool.run({ kind: 'cpu', name, args } satisfies CpuTask)) as CpuResult;
    }
    if (result.ok) return result.value as Awaited<ReturnType<Tasks[N]>>;
    throw new AppError(result.code, result.message, {
      ...(result.status !== undefined ? { status: result.status } : {}),
      details: result.details,
    });
  }

  /** Cancels queued jobs; running ones are left to their signals. Then stops the threads. */
  async destroy(): Promise<void> {
    this.closed = true;
    for (const waiter of this.waiting.splice(0))
      waiter.reject(new CancelledError('The render engine is shutting down.'));
    await this.pool.destroy();
  }

  private acquire(signal: AbortSignal | undefined): Promise<void> {
    if (this.running < this.limit && this.waiting.length === 0) {
      this.running++;
      return Promise.resolve();
    }
    return new Promise((resolve, reject) => {
      const waiter = {
        signal,
        reject: (error: Error) => {
          stopWatching();
          reject(error);
        },
        start: () => {
          stopWatching();
          this.running++;
          resolve();
        },
      };
      const stopWatching = onAbort(signal, () => {
        const at = this.waiting.indexOf(waiter);
        if (at >= 0) this.waiting.splice(at, 1);
        reject(new CancelledError());
      });
      this.waiting.push(waiter);
    });
  }

  private release(): void {
    this.running--;
    if (this.running < this.limit) this.waiting.shift()?.start();
  }

  private async execute(job: FfmpegJob, options: JobOptions): Promise<void> {
    const { port1, port2 } = new MessageChannel();
    port1.on('message', (message: WorkerMessage) => {
      if (message.type === 'progress') options.onProgress?.(message.progress);
      else if (message.type === 'command') this.onCommand?.(message.command);
    });
    const stopWatching = onAbort(options.signal, () => port1.postMessage(CANCEL_MESSAGE));
    const task: WorkerTask = {
      args: job.args,
      progress: Boolean(options.onProgress),
      port: port2,
      ...(job.label ? { label: job.label } : {}),
      ...(job.env ? { env: job.env } : {}),
    };
    try {
      if (options.signal?.aborted) throw new CancelledError();
      const result = (await this.pool.run(task, { transferList: [port2] })) as WorkerResult;
      if (result.ok) return;
      throw reviveError(result);
    } finally {
      stopWatching();
      port1.close();
    }
  }
}

function clampConcurrency(value: number): number {
  return Math.min(MAX_THREADS, Math.max(1, Math.floor(value)));
}

function reviveError(result: Extract<WorkerResult, { ok: false }>): Error {
  if (result.code === 'CANCELLED') return new CancelledError();
  if (result.code === 'FFMPEG_FAILED' && result.command !== undefined) {
    return new FfmpegFailedError(
      result.label ?? 'FFmpeg failed',
      result.command,
      result.stderr ?? '',
      result.exitCode ?? null,
    );
  }
  return new AppError(result.code, result.message);
}
