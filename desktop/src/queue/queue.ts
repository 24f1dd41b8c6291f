import { RenderSettings } from '@vmp/shared';
import type { ApiEvent, Job, Output, QueueState } from '@vmp/shared/api';
import { DEFAULT_ASSEMBLY_BATCH } from '../engine/render/renderer.ts';
import { strategyOf } from '../engine/render/strategy/index.ts';
import type { RenderBatchFn } from '../engine/render/types.ts';
import type { JobRow } from '../store/rows.ts';
import type { Store } from '../store/store.ts';
import { BACKOFF_BASE_MS, MAX_ATTEMPTS } from './backoff.ts';
import { type Batch, type Running, renderBatchOf } from './batch.ts';
import { inlineChecks, QueueChecker, type QueueChecks } from './checker.ts';
import { JobReporter } from './job-reporter.ts';
import { OutputOutcomes } from './outcomes.ts';
import { recoverOutputs } from './recovery.ts';
import { EtaTracker, KeyedThrottle } from './throttle.ts';

export { isCancellation } from './errors.ts';

export interface QueueHooks {
  /** An output just became completed (credits are debited from here), once per output, also inside a batch. */
  outputCompleted?(output: Output): void;
}

/** The engine as the queue sees it: `Renderer.renderBatch`, and the pool size to follow the settings. */
export interface QueueRenderer {
  renderBatch: RenderBatchFn;
  setConcurrency?(concurrency: number): void;
}

export interface QueueOptions {
  store: Store;
  renderer: QueueRenderer;
  emit: (event: ApiEvent) => void;
  /** FFmpeg processes at once; also the number of batches in flight. */
  concurrency?: number;
  /** Outputs per batch (fast strategy; unique renders one output per batch). Default: DEFAULT_ASSEMBLY_BATCH. */
  batchSize?: number;
  maxAttempts?: number;
  backoffBaseMs?: number;
  /** Minimum gap between progress events of one output (and of one job). */
  progressIntervalMs?: number;
  now?: () => number;
  hooks?: QueueHooks;
  /** Where outputs made for placements are checked (queue/checker.ts); default: on this thread. */
  checks?: QueueChecks;
}

const PAUSED_KEY = 'queue.paused';

/**
 * The persistent render queue. Every state lives in SQLite (outputs: pending → processing → completed, or back to
 * pending with backoff, or failed after the last attempt, or cancelled); this object only holds what is running
 * now. Ready outputs of one job go to the engine together (`renderBatch`, assembled several per FFmpeg process like
 * `vmp mix`), each with its own signal, so progress, cancel, retries and recovery stay per output.
 * A restart (`start()`) re-queues outputs left processing and never touches completed ones.
 */
export class RenderQueue {
  private readonly store: Store;
  private readonly renderer: QueueRenderer;
  private readonly batchSize: number;
  private readonly emit: (event: ApiEvent) => void;
  private readonly now: () => number;
  private readonly throttle: KeyedThrottle;
  private readonly jobs: JobReporter;
  private readonly outcomes: OutputOutcomes;
  private readonly checker: QueueChecker;
  private readonly running = new Map<string, Running>();
  private readonly batches = new Set<Batch>();
  private concurrency: number;
  private paused: boolean;
  private started = false;
  private timer: NodeJS.Timeout | undefined;
  private idleWaiters: (() => void)[] = [];

  constructor(options: QueueOptions) {
    this.store = options.store;
    this.renderer = options.renderer;
    this.batchSize = Math.max(1, options.batchSize ?? DEFAULT_ASSEMBLY_BATCH);
    this.emit = options.emit;
    this.concurrency = Math.max(1, options.concurrency ?? 2);
    this.now = options.now ?? Date.now;
    this.throttle = new KeyedThrottle(options.progressIntervalMs ?? 100, this.now);
    this.jobs = new JobReporter(this.store, this.emit, this.throttle, new EtaTracker(this.now), () => this.paused);
    const outputCompleted = options.hooks?.outputCompleted;
    this.outcomes = new OutputOutcomes({
      store: this.store,
      emit: this.emit,
      jobs: this.jobs,
      throttle: this.throttle,
      maxAttempts: options.maxAttempts ?? MAX_ATTEMPTS,
      backoffBaseMs: options.backoffBaseMs ?? BACKOFF_BASE_MS,
      now: this.now,
      ...(outputCompleted ? { outputCompleted } : {}),
    });
    this.checker = new QueueChecker({
      store: this.store,
      emit: this.emit,
      checks: options.checks ?? inlineChecks,
      jobChanged: (jobId) => {
        this.refreshJob(jobId, true);
        this.emitQueue();
      },
      settled: () => this.checkIdle(),
    });
    this.paused = this.store.settings.get<boolean>(PAUSED_KEY) ?? false;
  }

  /** Recovers from a previous run (crash or not), then starts rendering. */
  start(): void {
    if (this.started) return;
    this.recover();
    this.started = true;
    // Jobs that finished rendering before a restart but were not yet checked.
    for (const id of this.store.jobs.owingChecks()) this.checker.maybeFinish(id);
    this.pump();
  }

  /** See recoverOutputs: outputs a dead process left running go back to pending (or completed, if their file is). */
  recover(): void {
    recoverOutputs(this.store, this.paused);
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

  /** Applies at once: the FFmpeg pool takes the new size now, and more (or fewer) batches go out. */
  setConcurrency(concurrency: number): void {
    this.concurrency = Math.max(1, concurrency);
    this.renderer.setConcurrency?.(this.concurrency);
    this.pump();
  }

  /** Call after inserting a job's outputs. Returns the job as just announced (job.updated). */
  jobAdded(jobId: string): Job | null {
    const job = this.jobs.refresh(jobId, true);
    this.pump();
    return job;
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
    this.checker.maybeFinish(result.jobId);
    this.emitQueue();
    this.pump();
    return result;
  }

  cancelJob(jobId: string): void {
    this.store.jobs.row(jobId);
    // One statement for the whole job; only the outputs that were rendering get an event of their own.
    const { changed, wereProcessing } = this.store.outputs.cancelOpen(jobId);
    for (const output of wereProcessing) {
      this.abort(output.id);
      this.emit({ type: 'output.updated', output });
    }
    if (changed > wereProcessing.length) this.emit({ type: 'outputs.changed', jobId });
    this.refreshJob(jobId, true);
    this.checker.maybeFinish(jobId);
    this.emitQueue();
    this.pump();
  }

  /**
   * Cancels every open output of these jobs and resolves once their renders have stopped and left no partial file
   * (deleting a project waits for this before its rows go).
   */
  async cancelJobsAndWait(jobIds: readonly string[]): Promise<void> {
    for (const jobId of jobIds) this.cancelJob(jobId);
    const ids = new Set(jobIds);
    await Promise.allSettled([...this.batches].filter((b) => ids.has(b.jobId)).map((b) => b.done));
    await this.checker.whenSettled(ids);
  }

  retryOutput(outputId: string): Output {
    const output = this.store.outputs.get(outputId);
    this.store.outputs.assertStatus(output, ['failed', 'cancelled'], 'retried');
    this.store.jobs.reopenChecks(output.jobId);
    const queued = this.outcomes.requeue(output);
    this.refreshJob(output.jobId, true);
    this.pump();
    return queued ?? this.store.outputs.get(outputId);
  }

  retryFailed(jobId: string): void {
    this.store.jobs.row(jobId);
    this.store.jobs.reopenChecks(jobId);
    if (this.store.outputs.requeueClosed(jobId) > 0) this.emit({ type: 'outputs.changed', jobId });
    this.refreshJob(jobId, true);
    this.pump();
  }

  /**
   * Graceful shutdown: stops starting outputs, kills running renders and puts them back to PENDING (the attempt
   * does not count: it was interrupted, not failed). Resolves once every render has settled.
   */
  async stop(): Promise<void> {
    this.started = false;
    clearTimeout(this.timer);
    for (const [outputId, entry] of this.running) {
      this.store.outputs.transition(outputId, ['processing'], {
        status: 'pending',
        attempts: Math.max(0, entry.output.attempts - 1),
        progress: 0,
      });
      entry.interrupted = true;
    }
    const settling = [...this.batches].map((batch) => {
      batch.controller.abort();
      return batch.done;
    });
    await Promise.allSettled(settling);
    await this.checker.whenSettled();
  }

  /** Resolves when nothing runs and nothing is waiting to run (or the queue is paused). For tests and the CLI. */
  whenIdle(): Promise<void> {
    if (this.isIdle()) return Promise.resolve();
    return new Promise((resolve) => this.idleWaiters.push(resolve));
  }

  private isIdle(): boolean {
    return (
      this.running.size === 0 &&
      !this.checker.busy &&
      (this.paused || !this.started || this.store.outputs.count('pending') === 0)
    );
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
      while (this.batches.size < this.concurrency && this.launchNext(at)) {}
      if (this.batches.size < this.concurrency) {
        const due = this.store.outputs.nextRetryAt(at);
        // Backoff: wake up when the earliest retry is due.
        if (due !== null) this.timer = setTimeout(() => this.pump(), Math.max(0, due - this.now()));
      }
    }
    this.checkIdle();
  }

  /** Starts a batch of ready outputs of the oldest job with any; false when none is ready. */
  private launchNext(at: number): boolean {
    const candidates = this.store.outputs.nextPending(this.batchSize, at);
    const first = candidates[0];
    if (!first) return false;
    const job = this.store.jobs.withPlan(first.jobId);
    const size = strategyOf(RenderSettings.parse(job.settings)).batchSize(this.batchSize);
    const batch: Batch = { jobId: job.id, controller: new AbortController(), done: Promise.resolve() };
    const entries: Running[] = [];
    for (const pending of candidates.filter((o) => o.jobId === job.id).slice(0, size)) {
      const output = this.store.outputs.transition(pending.id, ['pending'], {
        status: 'processing',
        attempts: pending.attempts + 1,
        progress: 0,
        error: null,
      });
      if (!output) continue;
      const entry: Running = { output, batch, controller: new AbortController(), interrupted: false, settled: false };
      this.running.set(output.id, entry);
      entries.push(entry);
      this.emit({ type: 'output.updated', output });
    }
    if (entries.length === 0) return true;
    this.batches.add(batch);
    this.refreshJob(job.id, true);
    this.emitQueue();
    batch.done = this.runBatch(job, entries, batch).finally(() => this.settleBatch(batch, entries));
    return true;
  }

  /**
   * Renders the batch; an output made for a placement is checked as soon as its file is done (while its batch mates
   * render) and completes with its pre-flight, so no output shows Done unchecked. The batch ends with its checks.
   */
  private async runBatch(job: JobRow, entries: Running[], batch: Batch): Promise<void> {
    const checks: Promise<void>[] = [];
    await renderBatchOf(this.renderer.renderBatch, job, entries, batch, {
      progress: (entry, fraction) => this.outcomes.progress(entry.output, fraction),
      completed: (entry, duration) => {
        if (!this.checker.needsCheck(job, entry.output)) return this.outcomes.completed(entry.output, duration);
        checks.push(
          this.checker.check(job, entry.output).then((found) => {
            // Stopped meanwhile (shutdown): the output is pending again and its file is checked when next rendered.
            if (!batch.controller.signal.aborted) this.outcomes.completed(entry.output, duration, found);
          }),
        );
      },
      unfinished: (entry, error) => this.outcomes.unfinished(entry, error),
    });
    await Promise.all(checks);
  }

  /** Never throws: the rows may be gone (project deleted), and nothing may reject unhandled here. */
  private settleBatch(batch: Batch, entries: Running[]): void {
    this.batches.delete(batch);
    for (const { output } of entries) {
      this.running.delete(output.id);
      this.outcomes.attemptEnded(output);
    }
    this.refreshJob(batch.jobId, true);
    this.checker.maybeFinish(batch.jobId);
    this.emitQueue();
    if (this.started) this.pump();
    else this.checkIdle();
  }

  private refreshJob(jobId: string, force: boolean): void {
    this.jobs.refresh(jobId, force);
  }

  /** ETA of a job as last reported in a job.updated event, for `jobs.get`. */
  lastEta(jobId: string): number | null {
    return this.jobs.lastEta(jobId);
  }

  private emitQueue(): void {
    this.emit({ type: 'queue.updated', queue: this.state() });
  }
}
