import type { ApiEvent, Output } from '@vmp/shared/api';
import { removePartOf } from '../engine/render/part-file.ts';
import type { OutputPatch } from '../store/outputs.ts';
import type { Store } from '../store/store.ts';
import { afterFailure } from './backoff.ts';
import type { Running } from './batch.ts';
import { errorText, isCancellation } from './errors.ts';
import type { JobReporter } from './job-reporter.ts';
import type { KeyedThrottle } from './throttle.ts';

export interface OutcomeOptions {
  store: Store;
  emit: (event: ApiEvent) => void;
  jobs: JobReporter;
  throttle: KeyedThrottle;
  maxAttempts: number;
  backoffBaseMs: number;
  now: () => number;
  /** An output just became completed (credits are debited from here), once per output, also inside a batch. */
  outputCompleted?: (output: Output) => void;
}

/**
 * What happens to an output's row: the engine's reports about it in a batch (progress, completed, retried or
 * failed), a retry asked for by the user, and the clean-up after each attempt.
 */
export class OutputOutcomes {
  constructor(private readonly o: OutcomeOptions) {}

  progress(output: Output, fraction: number): void {
    if (!this.o.throttle.pass(output.id)) return;
    const updated = this.o.store.outputs.transition(output.id, ['processing'], {
      progress: Math.min(1, Math.max(0, fraction)),
    });
    if (!updated) return;
    this.o.emit({ type: 'output.updated', output: updated });
    this.o.jobs.refresh(output.jobId, false);
  }

  /** `checked`: what its pre-flight found (outputs made for a placement). */
  completed(output: Output, duration: number, checked: Pick<OutputPatch, 'preflight' | 'opening'> = {}): void {
    // A complete file is kept even if a cancel or stop raced with its last moment.
    const done = this.o.store.outputs.transition(output.id, ['processing', 'cancelled', 'pending'], {
      status: 'completed',
      progress: 1,
      error: null,
      duration,
      ...checked,
    });
    if (!done) return;
    this.o.emit({ type: 'output.updated', output: done });
    this.o.outputCompleted?.(done);
    this.o.jobs.refresh(output.jobId, false);
  }

  /**
   * An output that did not complete. Stopped by the queue (cancel, stop, delete): its state is already set.
   * Cancelled by the engine on its own (shutting down): back to pending, the attempt not counted. Else a failure.
   */
  unfinished(entry: Running, error: unknown): void {
    if (entry.interrupted) return;
    if (error === null || isCancellation(error)) {
      const back = this.o.store.outputs.transition(entry.output.id, ['processing'], {
        status: 'pending',
        attempts: Math.max(0, entry.output.attempts - 1),
        progress: 0,
      });
      if (back) this.o.emit({ type: 'output.updated', output: back });
      return;
    }
    this.failed(entry.output, error);
  }

  /** Back to pending with a fresh set of attempts (retry of a failed or cancelled output). */
  requeue(output: Output): Output | null {
    const queued = this.o.store.outputs.transition(output.id, [output.status], {
      status: 'pending',
      attempts: 0,
      error: null,
      progress: 0,
      notBefore: 0,
    });
    if (queued) this.o.emit({ type: 'output.updated', output: queued });
    return queued;
  }

  /** After an attempt settled, never throwing (the row may be gone with its project): its partial file goes. */
  attemptEnded(output: Output): void {
    this.o.throttle.forget(output.id);
    // A finished file is only ever the renamed, complete one; anything else left by this attempt goes.
    if (!output.path || this.currentStatus(output.id) === 'completed') return;
    try {
      removePartOf(output.path);
    } catch (error) {
      this.o.emit({
        type: 'notice',
        level: 'warning',
        message: `Could not remove ${output.path}.part: ${errorText(error)}`,
      });
    }
  }

  private currentStatus(outputId: string): Output['status'] | null {
    try {
      return this.o.store.outputs.get(outputId).status;
    } catch {
      return null; // Deleted with its project.
    }
  }

  private failed(output: Output, error: unknown): void {
    const next = afterFailure(output.attempts, this.o.now(), {
      maxAttempts: this.o.maxAttempts,
      baseMs: this.o.backoffBaseMs,
    });
    const message = errorText(error);
    const updated = this.o.store.outputs.transition(
      output.id,
      ['processing'],
      next.retry
        ? { status: 'pending', notBefore: next.notBefore, error: message, progress: 0 }
        : { status: 'failed', error: message, progress: 0 },
    );
    if (!updated) return;
    this.o.emit({ type: 'output.updated', output: updated });
    if (!next.retry) {
      this.o.emit({
        type: 'notice',
        level: 'error',
        message: `Output #${output.index + 1} failed after ${output.attempts} attempts: ${message}`,
      });
    }
  }
}
