import type { CreditsStatus } from '@vmp/shared/api';
import { AppError } from '@vmp/shared/errors';
import type { CallOptions } from './client.ts';
import type { LicensingContext } from './context.ts';
import { isTransient } from './status.ts';

/** A hold that may have reached the server although no answer came back in time: given back at the next flush. */
interface StrayHold {
  key: string;
  amount: number;
}

/**
 * What the server does not have yet: commits and releases of ended jobs, stray holds, usage recorded offline;
 * and the balance it answers with. One flush at a time.
 */
export class UsageSync {
  private flushing: Promise<void> | null = null;

  constructor(private readonly ctx: LicensingContext) {}

  /** Something is waiting to be sent, or the app is offline and should look for the server. */
  due(): boolean {
    const { ledger } = this.ctx;
    return (
      this.ctx.online === false ||
      ledger.pendingUsage() > 0 ||
      ledger.jobs('settling').length > 0 ||
      this.strayHolds().length > 0
    );
  }

  /** Sends what the server does not have yet (commits, offline usage) and refreshes the balance; never throws. */
  flush(): Promise<void> {
    this.flushing ??= this.doFlush().finally(() => {
      this.flushing = null;
    });
    return this.flushing;
  }

  /** Resolves once a flush in flight has ended (at close). */
  async idle(): Promise<void> {
    await this.flushing?.catch(() => {});
  }

  private async doFlush(): Promise<void> {
    const { ctx } = this;
    if (!ctx.stored.activationId || ctx.closed) return;
    const before = ctx.ledger.pendingUsage();
    try {
      for (const job of ctx.ledger.jobs('settling')) await this.settle(job.jobId);
      await this.releaseStrayHolds();
      for (;;) {
        const batch = ctx.ledger.pendingEntries(500);
        if (batch.length === 0) break;
        const res = await ctx.client.reportUsage(batch);
        ctx.ledger.markSent([...res.applied, ...res.duplicates]);
        // Dated after the license stopped being usable: the server will never take them; not sent again.
        if (res.refused?.length) ctx.ledger.markSent(res.refused, -1);
        if (res.applied.length + res.duplicates.length + (res.refused?.length ?? 0) === 0) break;
        ctx.setOnline(true);
      }
      await this.refreshCredits();
    } catch (error) {
      if (isTransient(error)) ctx.setOnline(false);
      else if (error instanceof AppError && error.status === 403) await ctx.refused(error);
    }
    if (!ctx.closed && before !== ctx.ledger.pendingUsage()) ctx.changed();
  }

  /** Balance from the server into the cache; a failure keeps the last one. */
  async refreshCredits(call: CallOptions = {}): Promise<CreditsStatus> {
    const { ctx } = this;
    if (!ctx.stored.activationId) return ctx.credits();
    try {
      const res = await ctx.client.credits(call);
      if (ctx.closed) return ctx.credits();
      ctx.ledger.set('credits.cache', { balance: res.balance, held: res.held, available: res.available });
      ctx.setOnline(true);
      ctx.creditsUpdated();
    } catch (error) {
      if (isTransient(error)) ctx.setOnline(false);
    }
    return ctx.credits();
  }

  /** Commits what a settling job used, or releases its hold; throws when the server could not be told. */
  async settle(jobId: string): Promise<void> {
    const { ctx } = this;
    const job = ctx.ledger.job(jobId);
    if (job?.state !== 'settling' || !job.reservationId) return;
    try {
      if ((job.used ?? 0) > 0) await ctx.client.commit(job.reservationId, job.used ?? 0);
      else await ctx.client.release(job.reservationId);
      ctx.ledger.settled(jobId);
      ctx.setOnline(true);
    } catch (error) {
      const code = error instanceof AppError ? error.code : '';
      const status = (error as AppError).details as { status?: string } | undefined;
      if (code === 'RESERVATION_CLOSED' && status?.status === 'expired') {
        ctx.ledger.holdLost(jobId); // Reported as usage instead, same entry ids.
      } else if (code === 'RESERVATION_CLOSED' && status?.status === 'released' && (job.used ?? 0) === 0) {
        ctx.ledger.settled(jobId);
      } else {
        if (isTransient(error)) ctx.setOnline(false);
        throw error;
      }
    }
  }

  /** A reservation under `key` timed out: whatever it may have held is given back at the next flush. */
  addStrayHold(key: string, amount: number): void {
    this.ctx.ledger.set('strayHolds', [...this.strayHolds(), { key, amount }]);
  }

  private strayHolds(): StrayHold[] {
    return this.ctx.ledger.get<StrayHold[]>('strayHolds') ?? [];
  }

  /** Gives back holds a timed-out reservation may have left on the server (the same key finds the same hold). */
  private async releaseStrayHolds(): Promise<void> {
    const { ctx } = this;
    for (const stray of this.strayHolds()) {
      try {
        const hold = await ctx.client.reserve(stray.key, stray.amount);
        await ctx.client.release(hold.id);
      } catch (error) {
        if (isTransient(error)) throw error;
        // Refused (not enough credits, another amount): nothing of ours is held under this key.
      }
      ctx.ledger.set(
        'strayHolds',
        this.strayHolds().filter((h) => h.key !== stray.key),
      );
    }
  }
}
