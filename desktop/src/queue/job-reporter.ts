import type { ApiEvent, Job } from '@vmp/shared/api';
import type { Store } from '../store/store.ts';
import type { EtaTracker, KeyedThrottle } from './throttle.ts';

/** Keeps each job's stored status in step with its outputs and tells the UI (job.updated, with an ETA). */
export class JobReporter {
  private readonly etas = new Map<string, number | null>();

  constructor(
    private readonly store: Store,
    private readonly emit: (event: ApiEvent) => void,
    private readonly throttle: KeyedThrottle,
    private readonly eta: EtaTracker,
    private readonly paused: () => boolean,
  ) {}

  /**
   * Recomputes the job's status; emits job.updated on a status change, or (throttled) for progress. Returns the job
   * it emitted, if it did.
   */
  refresh(jobId: string, force: boolean): Job | null {
    let refreshed: ReturnType<Store['jobs']['refreshStatus']>;
    try {
      refreshed = this.store.jobs.refreshStatus(jobId, this.paused());
    } catch {
      return null; // The job was deleted with its project.
    }
    if (!this.throttle.pass(`job:${jobId}`, force || refreshed.changed)) return null;
    const base = this.store.jobs.get(jobId, null, refreshed.counts);
    const finished = base.status === 'completed' || base.status === 'failed' || base.status === 'cancelled';
    if (finished) this.eta.forget(jobId);
    const etaSeconds =
      finished || base.status !== 'running' ? null : this.eta.eta(jobId, base.progress, base.completed);
    this.etas.set(jobId, etaSeconds);
    const job = { ...base, etaSeconds };
    this.emit({ type: 'job.updated', job });
    return job;
  }

  /** ETA of a job as last reported in a job.updated event, for `jobs.get`. */
  lastEta(jobId: string): number | null {
    return this.etas.get(jobId) ?? null;
  }
}
