import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { creditCost } from '@vmp/shared';
import type { Job } from '@vmp/shared/api';
import { AppError, ValidationError } from '@vmp/shared/errors';
import type { Plan } from '../engine/plan/planner.ts';
import { sanitizeFileName } from '../engine/render/naming.ts';
import type { RenderSource } from '../engine/render/types.ts';
import type { JobPayment } from '../licensing/service.ts';
import type { JobPlanSnapshot } from '../queue/spec.ts';
import { type AreaHandlers, type CoreContext, projectDetail } from './context.ts';
import { countWarnings, planInputFor } from './plan.ts';

/** Output rows per write transaction (about 10-20 ms each on the shared 2-core box). */
const OUTPUTS_PER_WRITE = 250;

function stamp(at: Date): string {
  const p = (n: number) => String(n).padStart(2, '0');
  return `${at.getFullYear()}${p(at.getMonth() + 1)}${p(at.getDate())}-${p(at.getHours())}${p(at.getMinutes())}${p(at.getSeconds())}`;
}

/**
 * Plans the project, snapshots its sources, has the job paid for (credits hold, offline, or unlicensed with a
 * watermark; refused when the balance is short), creates the job with its outputs and hands it to the queue.
 */
async function startJob(ctx: CoreContext, projectId: string): Promise<Job> {
  const { store } = ctx;
  const d = projectDetail(ctx, projectId);
  const { project } = d;
  const { input } = planInputFor(d);
  const { plan, fileNames } = await ctx.compute('planOutputs', input, {
    projectName: project.name,
    settings: project.settings,
    sourcePaths: new Map(d.clips.map((c) => [c.id, c.path])),
  });
  // Planning ran in a worker thread: the project may have gone meanwhile.
  store.projects.get(projectId);
  if (plan.count === 0) throw new ValidationError('Nothing to render: the plan has no combinations.');
  const byId = new Map(d.clips.map((c) => [c.id, c]));
  const sources: RenderSource[] = [];
  for (const id of new Set(plan.combinations.flatMap((c) => c.clipIds))) {
    const clip = byId.get(id);
    if (!clip?.hash || !clip.info || clip.status !== 'ok') {
      throw new ValidationError(`Clip "${clip?.name ?? id}" is not ready to render (${clip?.status ?? 'removed'}).`, {
        clipId: id,
      });
    }
    sources.push({
      id,
      path: clip.path,
      hash: clip.hash,
      info: clip.info,
      ...(clip.captions?.length ? { captions: clip.captions } : {}),
    });
  }
  const payment = await ctx.credits?.beforeJob?.(plan.count);
  try {
    return await createJob(ctx, { d, plan, fileNames, sources, payment });
  } catch (error) {
    if (payment) await ctx.credits?.jobAbandoned?.(payment);
    throw error;
  }
}

async function createJob(
  ctx: CoreContext,
  job: {
    d: ReturnType<typeof projectDetail>;
    plan: Plan;
    fileNames: readonly string[];
    sources: RenderSource[];
    payment: JobPayment | undefined;
  },
): Promise<Job> {
  const { store } = ctx;
  const { d, plan, fileNames, sources, payment } = job;
  const { project } = d;
  const projectId = project.id;
  const settingsAtStart = payment?.watermark ? { ...project.settings, watermark: payment.watermark } : project.settings;
  const at = new Date();
  // One folder per job, never shared: two jobs started in the same second get "-2", "-3", ...
  const base = join(project.outputDir, `${sanitizeFileName(project.name, 60)}-${stamp(at)}`);
  let outputDir = base;
  for (let n = 2; existsSync(outputDir) || store.jobs.usesFolder(outputDir); n++) outputDir = `${base}-${n}`;
  try {
    mkdirSync(outputDir, { recursive: true });
  } catch (error) {
    throw new ValidationError(
      `outputDir: cannot create ${outputDir} (${(error as NodeJS.ErrnoException).code ?? (error as Error).message}). Choose another output folder.`,
      { field: 'outputDir', path: outputDir },
    );
  }
  const durations = new Map(d.clips.map((c) => [c.id, c.info?.duration ?? 0]));
  const cost = creditCost(plan.count);
  const headlines = Object.fromEntries(plan.combinations.flatMap((c) => (c.headlines ? [[c.index, c.headlines]] : [])));
  const snapshot: JobPlanSnapshot = {
    projectName: project.name,
    sources,
    creditCost: cost,
    ...(Object.keys(headlines).length ? { headlines } : {}),
  };
  const outputs = plan.combinations.map((c, i) => ({
    index: c.index,
    clipIds: c.clipIds,
    path: join(outputDir, fileNames[i]!),
    duration: c.clipIds.reduce((sum, id) => sum + (durations.get(id) ?? 0), 0),
  }));
  // Big jobs are written in chunks with a yield between them, so the app keeps answering while 10,000 rows go in;
  // the queue may start on the first chunk meanwhile.
  const jobId = store.jobs.create({
    projectId,
    settings: settingsAtStart,
    seed: settingsAtStart.seed,
    plan: snapshot,
    outputDir,
    outputs: outputs.slice(0, OUTPUTS_PER_WRITE),
    total: outputs.length,
  });
  if (payment) ctx.credits?.jobCreated?.(payment, jobId);
  ctx.queue.jobAdded(jobId);
  for (let from = OUTPUTS_PER_WRITE; from < outputs.length; from += OUTPUTS_PER_WRITE) {
    await new Promise((resolve) => setImmediate(resolve));
    store.jobs.row(jobId); // Deleted with its project meanwhile: NotFoundError.
    store.jobs.addOutputs(jobId, projectId, outputs.slice(from, from + OUTPUTS_PER_WRITE));
  }
  // Once more at the end, not per chunk: it recounts the job's outputs (about 10 ms a time at 10,000 rows).
  if (outputs.length > OUTPUTS_PER_WRITE) ctx.queue.jobAdded(jobId);
  ctx.projectChanged(projectId);
  const created = store.jobs.get(jobId);
  ctx.credits?.jobQueued?.(created, cost).catch((e: unknown) => ctx.warn(`Credits: ${(e as Error).message}`));
  return created;
}

/** plan.*, jobs.* and queue.*: preview the plan, start and follow jobs, pause and resume the queue. */
export function jobHandlers(ctx: CoreContext): AreaHandlers<'plan'> & AreaHandlers<'jobs'> & AreaHandlers<'queue'> {
  const { store, queue } = ctx;
  return {
    async 'plan.preview'({ projectId, limit = 50 }) {
      const d = projectDetail(ctx, projectId);
      const { input, warnings } = planInputFor(d);
      const base = { mode: d.project.mode, seed: d.project.settings.seed };
      try {
        const plan = await ctx.compute('summarisePlan', input);
        return {
          ...base,
          possible: plan.possible,
          count: plan.count,
          combinations: plan.combinations.slice(0, limit),
          totalDuration: plan.totalDuration,
          creditCost: plan.creditCost,
          warnings: [...warnings, ...countWarnings(d.project.settings.count, plan.possible, plan.count)],
        };
      } catch (error) {
        // Nothing plannable yet (empty group, too few clips): an empty preview that says why.
        if (!(error instanceof AppError) || error.code !== 'VALIDATION_ERROR') throw error;
        return {
          ...base,
          possible: 0,
          count: 0,
          combinations: [],
          totalDuration: 0,
          creditCost: 0,
          warnings: [...warnings, error.message],
        };
      }
    },

    async 'jobs.start'({ projectId }) {
      return startJob(ctx, projectId);
    },
    async 'jobs.list'({ projectId }) {
      store.projects.get(projectId);
      return store.jobs.list(projectId).map((j) => ({ ...j, etaSeconds: queue.lastEta(j.id) }));
    },
    async 'jobs.get'({ jobId }) {
      return store.jobs.get(jobId, queue.lastEta(jobId));
    },
    async 'jobs.cancel'({ jobId }) {
      queue.cancelJob(jobId);
      return store.jobs.get(jobId);
    },
    async 'jobs.retryFailed'({ jobId }) {
      const retried =
        store.outputs.withStatus('failed', jobId).length + store.outputs.withStatus('cancelled', jobId).length;
      await ctx.credits?.beforeRetry?.(jobId, retried);
      queue.retryFailed(jobId);
      return store.jobs.get(jobId, queue.lastEta(jobId));
    },

    async 'queue.state'() {
      return queue.state();
    },
    async 'queue.pause'() {
      return queue.pause();
    },
    async 'queue.resume'() {
      return queue.resume();
    },
  };
}
