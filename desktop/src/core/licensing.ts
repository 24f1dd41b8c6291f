import type { Job } from '@vmp/shared/api';
import pkg from '../../package.json' with { type: 'json' };
import { type LicensingHandlers, licensingHandlers } from '../licensing/handlers.ts';
import { ProjectSync } from '../licensing/project-sync.ts';
import { type JobPayment, Licensing, type LicensingOptions } from '../licensing/service.ts';
import type { CoreContext, CreditsPort } from './context.ts';
import { syncPort } from './sync-port.ts';

const FINISHED: ReadonlySet<Job['status']> = new Set(['completed', 'failed', 'cancelled']);

/** Extra licensing options of the core (tests: machine id, clock, intervals); env is read otherwise. */
export type CoreLicensingOptions = Partial<Omit<LicensingOptions, 'dataDir' | 'appVersion' | 'emit'>>;

export interface LicensingModule {
  /** Plugged into the context: reserve before queueing, one charge per completed output. */
  port: Required<
    Pick<
      CreditsPort,
      'beforeJob' | 'jobCreated' | 'jobAbandoned' | 'outputCompleted' | 'beforeRetry' | 'farmSigningMaterial'
    >
  >;
  handlers: LicensingHandlers;
  /** Opens the licensing state of the data folder, reconciles the ledger with the queue, starts heartbeat + sync. */
  attach(ctx: CoreContext): void;
  close(): Promise<void>;
}

/**
 * license.*, credits.* and sync.* of the core, and the credits seam of jobs.start and the queue. The licensing state
 * opens asynchronously (secret store, fingerprint); calls made before that wait for it, never for the network.
 */
export function licensingModule(dataDir: string, options: CoreLicensingOptions = {}): LicensingModule {
  let attached: (ctx: CoreContext) => void = () => {};
  const context = new Promise<CoreContext>((resolve) => {
    attached = resolve;
  });
  const ready = context.then(async (ctx) => {
    const licensing = await Licensing.open({ ...options, dataDir, appVersion: pkg.version, emit: ctx.hub.emit });
    const sync = new ProjectSync(licensing, syncPort(ctx), ctx.hub.emit);
    return { licensing, sync, ctx };
  });
  // Keep a failure to open from becoming an unhandled rejection; each call still sees it.
  ready.catch(() => {});
  let unsubscribe = () => {};

  return {
    port: {
      async beforeJob(outputs: number): Promise<JobPayment> {
        const { licensing, ctx } = await ready;
        const payment = await licensing.beforeJob(outputs);
        if (payment.notice) ctx.warn(payment.notice);
        return payment;
      },
      async beforeRetry(jobId: string, outputs: number) {
        const { licensing, ctx } = await ready;
        // Retries already queued in settled jobs are charged when they complete: count them as spoken for.
        const waiting = (['pending', 'processing'] as const)
          .flatMap((status) => ctx.store.outputs.withStatus(status))
          .filter((o) => licensing.chargedAsUsage(o.jobId)).length;
        await licensing.beforeRetry(jobId, outputs, waiting);
      },
      jobCreated(payment: JobPayment, jobId: string) {
        void ready.then(({ licensing }) => licensing.jobCreated(payment, jobId));
      },
      async jobAbandoned(payment: JobPayment) {
        await (await ready).licensing.jobAbandoned(payment);
      },
      async outputCompleted(output) {
        (await ready).licensing.outputCompleted(output.id, output.jobId);
      },
      async farmSigningMaterial() {
        return (await ready).licensing.farmSigningMaterial();
      },
    },
    handlers: licensingHandlers(ready),
    attach(ctx) {
      attached(ctx);
      void ready.then(async ({ licensing, sync }) => {
        unsubscribe = ctx.hub.subscribe((event) => {
          if (event.type !== 'job.updated' || !FINISHED.has(event.job.status)) return;
          // The store is the truth: the last output's completion hook may not have reached the ledger yet (it waits
          // on `ready`); recorded now (once, by id) it is charged inside the job's commit, not as offline usage.
          for (const o of ctx.store.outputs.withStatus('completed', event.job.id))
            licensing.outputCompleted(o.id, o.jobId);
          void licensing.jobEnded(event.job.id);
        });
        await licensing.reconcile({
          job(jobId) {
            try {
              const job = ctx.store.jobs.get(jobId);
              return {
                finished: FINISHED.has(job.status),
                completedOutputIds: ctx.store.outputs.withStatus('completed', jobId).map((o) => o.id),
              };
            } catch {
              return null;
            }
          },
        });
        if (options.background !== false) {
          sync.startAuto(Number(process.env.VMP_SYNC_INTERVAL_MS) || 60_000);
        }
      });
    },
    async close() {
      unsubscribe();
      const opened = await ready.catch(() => null);
      opened?.sync.stop();
      await opened?.licensing.close();
    },
  };
}
