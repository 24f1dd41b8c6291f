import { randomUUID } from 'node:crypto';
import { creditCost } from '@vmp/shared';
import { UNLICENSED_WATERMARK } from '@vmp/shared/api';
import { AppError } from '@vmp/shared/errors';
import { InsufficientCreditsError } from '@vmp/shared/http';
import type { LicensingContext } from './context.ts';
import { JobNotPayableError, OfflineAllowanceError } from './errors.ts';
import { isTransient } from './status.ts';
import type { UsageSync } from './usage-sync.ts';

export interface JobPayment {
  /** Credits are charged (active, or offline-grace). */
  licensed: boolean;
  /** Burned into every output of an unlicensed job. */
  watermark: string | null;
  mode: 'reserved' | 'offline' | 'unlicensed';
  /** The ledger key to rename to the queue's job id (see `jobCreated`). */
  key: string;
  /** Something the user should know about how the job is paid (shown as a warning). */
  notice?: string;
}

/** Where the core's completed outputs and job states come from, for reconciliation at start. */
export interface LicensingJobsPort {
  /** Null when the job no longer exists. */
  job(jobId: string): { finished: boolean; completedOutputIds: string[] } | null;
}

/** How each job is paid: its hold on the server or offline record, its outputs charged once, its end settled. */
export class JobPayments {
  constructor(
    private readonly ctx: LicensingContext,
    private readonly sync: UsageSync,
    /** Whole budget of the server calls a user action waits on, retries included. */
    private readonly actionBudgetMs: number,
  ) {}

  /**
   * Decides how a job is paid before anything is queued: a hold on the server (online), nothing (offline with a
   * valid lease: usage is recorded per output), or nothing and a watermark (unlicensed, expired, refused).
   * Throws INSUFFICIENT_CREDITS with both numbers when the hold is refused.
   */
  async beforeJob(outputs: number): Promise<JobPayment> {
    const { ctx } = this;
    const key = `job-${randomUUID()}`;
    const cost = creditCost(outputs);
    if (!ctx.isLicensed()) return { licensed: false, watermark: UNLICENSED_WATERMARK, mode: 'unlicensed', key };
    // Nothing to render (every output already made): nothing to hold.
    if (cost === 0) return { licensed: true, watermark: null, mode: 'reserved', key };
    try {
      const hold = await ctx.client.reserve(key, cost, { budgetMs: this.actionBudgetMs });
      if (hold.fromAllowance) ctx.allowanceDrawn(hold.fromAllowance);
      ctx.ledger.openJob({ jobId: key, mode: 'reserved', reservationId: hold.id, amount: cost });
      ctx.setOnline(true);
      void this.sync.refreshCredits();
      return { licensed: true, watermark: null, mode: 'reserved', key };
    } catch (error) {
      if (error instanceof InsufficientCreditsError) {
        const available = Math.max(0, (error.details as { available: number }).available - ctx.ledger.pendingUsage());
        ctx.setOnline(true);
        throw new JobNotPayableError(cost, available);
      }
      if (isTransient(error)) {
        // The request may have reached a server that could not answer in time: its hold is given back later.
        this.sync.addStrayHold(key, cost);
        ctx.setOnline(false);
        if (!ctx.isLicensed()) return { licensed: false, watermark: UNLICENSED_WATERMARK, mode: 'unlicensed', key };
        // Offline, only what the server holds for this machine (its lease's allowance) renders without a watermark.
        const { room, message } = ctx.offlineRoom();
        if (room < cost) throw new OfflineAllowanceError(cost, room, message);
        ctx.ledger.openJob({ jobId: key, mode: 'offline', reservationId: null, amount: cost });
        const notice =
          `The licensing server did not answer within ${Math.round(this.actionBudgetMs / 1000)} s: the job renders ` +
          `on this machine's license (offline rules); its ${cost} credit${cost === 1 ? ' is' : 's are'} reported when the server answers.`;
        return { licensed: true, watermark: null, mode: 'offline', key, notice };
      }
      if (error instanceof AppError) await ctx.refused(error);
      throw error;
    }
  }

  /**
   * Before failed or cancelled outputs of a job render again. While the job's hold is open it covers them; once
   * settled, each is charged as usage, so the available balance must cover them (and retries already waiting).
   * Offline with a valid lease they are recorded like any offline render. Throws INSUFFICIENT_CREDITS with numbers.
   */
  async beforeRetry(jobId: string, outputs: number, waitingRetries = 0): Promise<void> {
    const { ctx } = this;
    const job = ctx.ledger.job(jobId);
    if (!job || outputs <= 0 || (job.mode === 'reserved' && job.state === 'open') || !ctx.isLicensed()) return;
    await this.sync.refreshCredits({ budgetMs: this.actionBudgetMs });
    const { available, online } = ctx.credits();
    if (!online) {
      // An open offline job's amount already covers its own retries.
      if (job.mode === 'offline' && job.state === 'open') return;
      const needed = creditCost(outputs) + creditCost(waitingRetries);
      const { room, message } = ctx.offlineRoom();
      if (room < needed) throw new OfflineAllowanceError(needed, room, message);
      return;
    }
    if (available === null) return;
    const needed = creditCost(outputs);
    const left = Math.max(0, available - creditCost(waitingRetries));
    if (left < needed) {
      throw new JobNotPayableError(needed, left, `Retrying ${outputs} video${outputs === 1 ? '' : 's'}`);
    }
  }

  /** Whether an output of this job completing now is charged as usage (its hold, if any, is settled). */
  chargedAsUsage(jobId: string): boolean {
    const job = this.ctx.ledger.job(jobId);
    return Boolean(job) && !(job!.mode === 'reserved' && job!.state === 'open');
  }

  /** The queue created the job: the ledger row follows its id. */
  jobCreated(payment: JobPayment, jobId: string): void {
    if (payment.mode !== 'unlicensed') this.ctx.ledger.renameJob(payment.key, jobId);
  }

  /** The job could not be created after its hold: give the hold back. */
  async jobAbandoned(payment: JobPayment): Promise<void> {
    const job = this.ctx.ledger.job(payment.key);
    if (!job) return;
    this.ctx.ledger.beginSettle(payment.key);
    // Not awaited: the caller is a user action; the flush tick retries a release that did not get through.
    void this.sync.settle(payment.key).catch(() => {});
  }

  /** One output of a licensed job completed: charged once, whatever calls this how often. */
  outputCompleted(outputId: string, jobId: string): void {
    const { ctx } = this;
    if (ctx.closed) return;
    const job = ctx.ledger.job(jobId);
    if (!job || !ctx.ledger.recordOutput(outputId, jobId, creditCost(1))) return;
    if (job.mode === 'offline' || job.state !== 'open') ctx.changed();
  }

  /** The job finished (completed, failed or cancelled): commit what its completed outputs used, free the rest. */
  async jobEnded(jobId: string): Promise<void> {
    const { ctx } = this;
    if (ctx.closed) return;
    const job = ctx.ledger.beginSettle(jobId);
    if (job?.state !== 'settling') return;
    await this.sync.settle(jobId).catch(() => {});
    await this.sync.refreshCredits();
    ctx.changed();
  }

  /**
   * After a crash or restart: outputs that completed while nobody recorded them are charged now (once: rows are
   * keyed by output id), jobs that ended are settled, and holds whose job never got created are released.
   */
  async reconcile(port: LicensingJobsPort): Promise<void> {
    const { ledger } = this.ctx;
    for (const job of ledger.jobs('open')) {
      const current = port.job(job.jobId);
      if (!current) {
        if (job.jobId.startsWith('job-')) {
          ledger.beginSettle(job.jobId);
          await this.sync.settle(job.jobId).catch(() => {});
        }
        continue;
      }
      for (const id of current.completedOutputIds) ledger.recordOutput(id, job.jobId, creditCost(1));
      if (current.finished) await this.jobEnded(job.jobId);
    }
    void this.sync.flush();
  }
}
