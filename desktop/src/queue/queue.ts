import { existsSync } from 'node:fs';
import type { ApiEvent, Output, QueueState } from '@vmp/shared/api';
import { AppError } from '@vmp/shared/errors';
import { removePartFilesIn, removePartOf } from '../engine/render/part-file.ts';
import type { Store } from '../store/store.ts';
import { afterFailure, BACKOFF_BASE_MS, MAX_ATTEMPTS } from './backoff.ts';
import { buildRenderSpec } from './spec.ts';
import { EtaTracker, KeyedThrottle } from './throttle.ts';
import type { RenderOutputFn } from './types.ts';

export interface QueueHooks {
  /** An output just became COMPLETED (credits are debited from here, later). */
  outputCompleted?(output: Output): void;
}

export interface QueueOptions {
  store: Store;
  render: RenderOutputFn;
  emit: (event: ApiEvent) => void;
  concurrency?: number;
  maxAttempts?: number;
  backoffBaseMs?: number;
  /** Minimum gap between progress events of one output (and of one job). */
  progressIntervalMs?: number;
  now?: () => number;
  hooks?: QueueHooks;
}

interface Running {
  jobId: string;
  controller: AbortController;
  /** Set when the queue itself aborted the render (stop, cancel): the rejection is not a failure. */
  interrupted: boolean;
  done: Promise<void>;
}

const PAUSED_KEY = 'queue.paused';

function isCancellation(error: unknown): boolean {
  return error instanceof AppError && error.code === 'CANCELLED';
}

function errorText(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/**
 * The persistent render queue. Every state lives in SQLite (outputs: PENDING → PROCESSING → COMPLETED, or back to
 * PENDING with backoff, or FAILED after the last attempt, or CANCELLED); this object only holds what is running
 * now. A restart (`start()`) re-queues outputs left PROCESSING and never touches COMPLETED ones.
 */
export class RenderQueue {
  private readonly store: Store;
  private readonly render: RenderOutputFn;
  private readonly emit: (event: ApiEvent) => void;
  private readonly maxAttempts: number;
  private readonly backoffBaseMs: number;
  private readonly now: () => number;
  private readonly hooks: QueueHooks;
  private readonly throttle: KeyedThrottle;
  private readonly eta: EtaTracker;
  private readonly running = new Map<string, Running>();
  private readonly etas = new Map<string, number | null>();
  private concurrency: number;
  private paused: boolean;
  private started = false;
  private timer: NodeJS.Timeout | undefined;
  private idleWaiters: (() => void)[] = [];

  constructor(options: QueueOptions) {
    this.store = options.store;
    this.render = options.render;
    this.emit = options.emit;
    this.concurrency = Math.max(1, options.concurrency ?? 2);
    this.maxAttempts = options.maxAttempts ?? MAX_ATTEMPTS;
    this.backoffBaseMs = options.backoffBaseMs ?? BACKOFF_BASE_MS;
    this.now = options.now ?? Date.now;
    this.hooks = options.hooks ?? {};
    this.throttle = new KeyedThrottle(options.progressIntervalMs ?? 100, this.now);
    this.eta = new EtaTracker(this.now);
    this.paused = this.store.settings.get<boolean>(PAUSED_KEY) ?? false;
  }

  /** Recovers from a previous run (crash or not), then starts rendering. */
  start(): void {
    if (this.started) return;
    this.recover();
    this.started = true;
    this.pump();
  }

  /**
   * Outputs left PROCESSING by a dead process go back to PENDING, unless their final file exists: the renderer only
   * renames a complete file into place, so a final file means the render finished before the crash. Stray partial
   * files of unfinished jobs are removed.
   */
  recover(): void {
    const jobIds = new Set<string>();
    for (const output of this.store.outputs.withStatus('processing')) {
      jobIds.add(output.jobId);
      if (output.path && existsSync(output.path)) {
        this.store.outputs.transition(output.id, ['processing'], { status: 'completed', progress: 1, error: null });
      } else {
        this.store.outputs.transition(output.id, ['processing'], { status: 'pending', progress: 0 });
      }
    }
    for (const jobId of this.store.jobs.openIds()) jobIds.add(jobId);
    for (const jobId of jobIds) {
      removePartFilesIn(this.store.jobs.row(jobId).outputDir);
      this.store.jobs.refreshStatus(jobId, this.paused);
    }
  }

  state(): QueueState {
    return {
      paused: this.paused,
      running: this.running.size,
      pending: this.store.outputs.count('pending'),
      concurrency: this.concurrency,
    };
  }

  isRunning(outputId: string): boolean {
    return this.running.has(outputId);
  }

  pause(): QueueState {
    this.setPaused(true);
    return this.state();
  }

  resume(): QueueState {
    this.setPaused(false);
    this.pump();
    return this.state();
  }

  private setPaused(paused: boolean): void {
    this.paused = paused;
    this.store.settings.set(PAUSED_KEY, paused);
    for (const jobId of this.store.jobs.openIds()) this.refreshJob(jobId, true);
    this.emitQueue();
    this.checkIdle();
  }

  setConcurrency(concurrency: number): void {
    this.concurrency = Math.max(1, concurrency);
    this.pump();
  }

  /** Call after inserting a job's outputs. */
  jobAdded(jobId: string): void {
    this.refreshJob(jobId, true);
    this.pump();
  }

  cancelOutput(outputId: string): Output {
    const output = this.store.outputs.get(outputId);
    this.store.outputs.assertStatus(output, ['pending', 'processing'], 'cancelled');
    const cancelled = this.store.outputs.transition(outputId, ['pending', 'processing'], {
      status: 'cancelled',
      progress: 0,
    });
    this.abort(outputId);
    const result = cancelled ?? this.store.outputs.get(outputId);
    this.emit({ type: 'output.updated', output: result });
    this.refreshJob(result.jobId, true);
    this.emitQueue();
    this.pump();
    return result;
  }

  cancelJob(jobId: string): void {
    this.store.jobs.row(jobId);
    for (const status of ['pending', 'processing'] as const) {
      for (const output of this.store.outputs.withStatus(status, jobId)) {
        const cancelled = this.store.outputs.transition(output.id, [status], { status: 'cancelled', progress: 0 });
        this.abort(output.id);
        if (cancelled) this.emit({ type: 'output.updated', output: cancelled });
      }
    }
    this.refreshJob(jobId, true);
    this.emitQueue();
    this.pump();
  }

  retryOutput(outputId: string): Output {
    const output = this.store.outputs.get(outputId);
    this.store.outputs.assertStatus(output, ['failed', 'cancelled'], 'retried');
    const queued = this.requeue(output);
    this.refreshJob(output.jobId, true);
    this.pump();
    return queued ?? this.store.outputs.get(outputId);
  }

  retryFailed(jobId: string): void {
    this.store.jobs.row(jobId);
    for (const status of ['failed', 'cancelled'] as const) {
      for (const output of this.store.outputs.withStatus(status, jobId)) this.requeue(output);
    }
    this.refreshJob(jobId, true);
    this.pump();
  }

  private requeue(output: Output): Output | null {
    const queued = this.store.outputs.transition(output.id, [output.status], {
      status: 'pending',
      attempts: 0,
      error: null,
      progress: 0,
      notBefore: 0,
    });
    if (queued) this.emit({ type: 'output.updated', output: queued });
    return queued;
  }

  /**
   * Graceful shutdown: stops starting outputs, kills running renders and puts them back to PENDING (the attempt
   * does not count: it was interrupted, not failed). Resolves once every render has settled.
   */
  async stop(): Promise<void> {
    this.started = false;
    clearTimeout(this.timer);
    const settling: Promise<void>[] = [];
    for (const [outputId, entry] of this.running) {
      const output = this.store.outputs.get(outputId);
      this.store.outputs.transition(outputId, ['processing'], {
        status: 'pending',
        attempts: Math.max(0, output.attempts - 1),
        progress: 0,
      });
      entry.interrupted = true;
      entry.controller.abort();
      settling.push(entry.done);
    }
    await Promise.allSettled(settling);
  }

  /** Resolves when nothing runs and nothing is waiting to run (or the queue is paused). For tests and the CLI. */
  whenIdle(): Promise<void> {
    if (this.isIdle()) return Promise.resolve();
    return new Promise((resolve) => this.idleWaiters.push(resolve));
  }

  private isIdle(): boolean {
    return this.running.size === 0 && (this.paused || !this.started || this.store.outputs.count('pending') === 0);
  }

  private checkIdle(): void {
    if (!this.isIdle()) return;
    const waiters = this.idleWaiters.splice(0);
    for (const resolve of waiters) resolve();
  }

  private abort(outputId: string): void {
    const entry = this.running.get(outputId);
    if (!entry) return;
    entry.interrupted = true;
    entry.controller.abort();
  }

  private pump(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
    if (this.started && !this.paused) {
      // One clock reading for both queries: an output not ready at `at` is then surely found as a future retry.
      const at = this.now();
      const free = this.concurrency - this.running.size;
      const ready = this.store.outputs.nextPending(free, at, new Set(this.running.keys()));
      for (const output of ready) this.launch(output);
      if (this.running.size < this.concurrency) {
        const due = this.store.outputs.nextRetryAt(at);
        // Backoff: wake up when the earliest retry is due.
        if (due !== null) this.timer = setTimeout(() => this.pump(), Math.max(0, due - this.now()));
      }
    }
    this.checkIdle();
  }

  private launch(pending: Output): void {
    const output = this.store.outputs.transition(pending.id, ['pending'], {
      status: 'processing',
      attempts: pending.attempts + 1,
      progress: 0,
      error: null,
    });
    if (!output) return;
    const controller = new AbortController();
    const entry: Running = { jobId: output.jobId, controller, interrupted: false, done: Promise.resolve() };
    this.running.set(output.id, entry);
    this.emit({ type: 'output.updated', output });
    this.refreshJob(output.jobId, true);
    this.emitQueue();
    entry.done = this.run(output, entry).finally(() => {
      this.running.delete(output.id);
      this.throttle.forget(output.id);
      const current = this.store.outputs.get(output.id);
      // A finished file is only ever the renamed, complete one; anything else left by this attempt goes.
      if (current.status !== 'completed' && current.path) {
        removePartOf(current.path);
      }
      this.emitQueue();
      if (this.started) this.pump();
      else this.checkIdle();
    });
  }

  private async run(output: Output, entry: Running): Promise<void> {
    try {
      const spec = buildRenderSpec(this.store.jobs.row(output.jobId), output);
      const result = await this.render(spec, {
        signal: entry.controller.signal,
        onProgress: ({ fraction }) => this.progress(output, fraction),
      });
      // A complete file is kept even if a cancel or stop raced with its last moment.
      const done = this.store.outputs.transition(output.id, ['processing', 'cancelled', 'pending'], {
        status: 'completed',
        progress: 1,
        error: null,
        duration: result.duration,
      });
      if (done) {
        this.emit({ type: 'output.updated', output: done });
        this.hooks.outputCompleted?.(done);
      }
    } catch (error) {
      if (entry.interrupted || isCancellation(error)) return;
      this.failed(output, error);
    } finally {
      this.refreshJob(output.jobId, true);
    }
  }

  private failed(output: Output, error: unknown): void {
    const next = afterFailure(output.attempts, this.now(), {
      maxAttempts: this.maxAttempts,
      baseMs: this.backoffBaseMs,
    });
    const message = errorText(error);
    const updated = this.store.outputs.transition(
      output.id,
      ['processing'],
      next.retry
        ? { status: 'pending', notBefore: next.notBefore, error: message, progress: 0 }
        : { status: 'failed', error: message, progress: 0 },
    );
    if (!updated) return;
    this.emit({ type: 'output.updated', output: updated });
    if (!next.retry) {
      this.emit({
        type: 'notice',
        level: 'error',
        message: `Output #${output.index + 1} failed after ${output.attempts} attempts: ${message}`,
      });
    }
  }

  private progress(output: Output, fraction: number): void {
    if (!this.throttle.pass(output.id)) return;
    const updated = this.store.outputs.transition(output.id, ['processing'], {
      progress: Math.min(1, Math.max(0, fraction)),
    });
    if (!updated) return;
    this.emit({ type: 'output.updated', output: updated });
    this.refreshJob(output.jobId, false);
  }

  /** Recomputes the job's status; emits job.updated on a status change, or (throttled) for progress. */
  private refreshJob(jobId: string, force: boolean): void {
    let changed: boolean;
    try {
      changed = this.store.jobs.refreshStatus(jobId, this.paused);
    } catch {
      return; // The job was deleted with its project.
    }
    if (!this.throttle.pass(`job:${jobId}`, force || changed)) return;
    const base = this.store.jobs.get(jobId);
    const finished = base.status === 'completed' || base.status === 'failed' || base.status === 'cancelled';
    if (finished) this.eta.forget(jobId);
    const etaSeconds = finished || base.status !== 'running' ? null : this.eta.eta(jobId, base.progress);
    this.etas.set(jobId, etaSeconds);
    this.emit({ type: 'job.updated', job: { ...base, etaSeconds } });
  }

  /** ETA of a job as last reported in a job.updated event, for `jobs.get`. */
  lastEta(jobId: string): number | null {
    return this.etas.get(jobId) ?? null;
  }

  private emitQueue(): void {
    this.emit({ type: 'queue.updated', queue: this.state() });
  }
}
