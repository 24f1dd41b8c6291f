import type { ApiEvent, Output } from '@vmp/shared/api';
import type { OutputSpec } from '../engine/render/types.ts';
import type { OutputPatch } from '../store/outputs.ts';
import type { JobRow } from '../store/rows.ts';
import type { Store } from '../store/store.ts';
import { checkRendered, type RenderedCheck } from './check-output.ts';
import { errorText } from './errors.ts';
import { type FinishedChecks, finishJobChecks } from './job-checks.ts';
import { buildOutputSpec, type JobPlanSnapshot } from './spec.ts';

/** Where the checks run: the app hands the engine's worker threads (core/cpu-tasks.ts); default this thread. */
export interface QueueChecks {
  output(spec: OutputSpec): Promise<RenderedCheck>;
  job(dbFile: string, jobId: string): Promise<FinishedChecks>;
}

export const inlineChecks: QueueChecks = { output: checkRendered, job: finishJobChecks };

/**
 * The pre-flight of jobs made for placements, as the queue runs it: each output is checked as soon as it is
 * rendered (before it counts as completed), and once all of a job's outputs have finished, its near-duplicate
 * report and manifest are made (the job is done only then). Both are FFmpeg processes awaited like renders.
 */
export class QueueChecker {
  private readonly finishing = new Map<string, Promise<void>>();
  private readonly again = new Set<string>();

  constructor(
    private readonly o: {
      store: Store;
      emit: (event: ApiEvent) => void;
      checks: QueueChecks;
      /** The job's outputs or report changed: recompute its status and tell the UI. */
      jobChanged: (jobId: string) => void;
      /** A finishing run ended (the queue may have become idle). */
      settled: () => void;
    },
  ) {}

  /** True when this output of the job is made for a placement (and so is checked before it completes). */
  needsCheck(job: JobRow, output: Output): boolean {
    return (job.plan as JobPlanSnapshot).placements?.[output.index] !== undefined;
  }

  /** Checks one rendered output; a check that fails to run is said, and left for the job's finishing run. */
  async check(job: JobRow, output: Output): Promise<Pick<OutputPatch, 'preflight' | 'opening'>> {
    try {
      const { preflight, opening } = await this.o.checks.output(buildOutputSpec(job, output));
      return { preflight, opening };
    } catch (error) {
      this.o.emit({
        type: 'notice',
        level: 'warning',
        message: `Could not check output #${output.index + 1} against its placement: ${errorText(error)}`,
      });
      return {};
    }
  }

  get busy(): boolean {
    return this.finishing.size > 0;
  }

  /** Resolves when the finishing runs of these jobs (default: all) have ended. */
  async whenSettled(jobIds?: ReadonlySet<string>): Promise<void> {
    const runs = [...this.finishing].filter(([id]) => !jobIds || jobIds.has(id)).map(([, run]) => run);
    await Promise.allSettled(runs);
  }

  /** After a job's outputs changed: once none is left to render, finishes its checks (if it owes them). */
  maybeFinish(jobId: string): void {
    if (this.finishing.has(jobId)) {
      this.again.add(jobId);
      return;
    }
    const { store } = this.o;
    try {
      if (!store.jobs.row(jobId).checksOwed) return;
      if (store.outputs.countOf(jobId, ['pending', 'processing']) > 0) return;
    } catch {
      return; // Deleted with its project.
    }
    const run = this.o.checks
      .job(store.opened.file, jobId)
      .then(
        (result) => {
          for (const message of result.warnings) this.o.emit({ type: 'notice', level: 'warning', message });
          if (result.checked > 0) this.o.emit({ type: 'outputs.changed', jobId });
        },
        (error: unknown) => {
          this.o.emit({
            type: 'notice',
            level: 'error',
            message: `Could not finish checking the job's outputs: ${errorText(error)}`,
          });
        },
      )
      .finally(() => {
        this.finishing.delete(jobId);
        this.o.jobChanged(jobId);
        if (this.again.delete(jobId)) this.maybeFinish(jobId);
        this.o.settled();
      });
    this.finishing.set(jobId, run);
  }
}
