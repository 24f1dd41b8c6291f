import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Clip, Job } from '@vmp/shared/api';
import { AppError, ValidationError } from '@vmp/shared/errors';
import { dedupeFileNames, sanitizeFileName } from '../engine/render/naming.ts';
import type { JobPayment } from '../licensing/service.ts';
import type { JobPlanSnapshot, RenderSource } from '../queue/types.ts';
import { type AreaHandlers, type CoreContext, projectDetail } from './context.ts';
import { countWarnings, planInputFor } from './plan.ts';

function stamp(at: Date): string {
  const p = (n: number) => String(n).padStart(2, '0');
  return `${at.getFullYear()}${p(at.getMonth() + 1)}${p(at.getDate())}-${p(at.getHours())}${p(at.getMinutes())}${p(at.getSeconds())}`;
}

/**
 * Plans the project, snapshots its sources, has the job paid for (credits hold, offline, or unlicensed with a
 * watermark; refused when the balance is short), creates the job with its outputs and hands it to the queue.
 */
async function startJob(ctx: CoreContext, projectId: string): Promise<Job> {
  const { engine } = ctx;
  const d = projectDetail(ctx, projectId);
  const { input } = planInputFor(d);
  const plan = engine.plan(input);
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
    return createJob(ctx, { d, plan, byId, sources, payment });
  } catch (error) {
    if (payment) await ctx.credits?.jobAbandoned?.(payment);
    throw error;
  }
}

function createJob(
  ctx: CoreContext,
  job: {
    d: ReturnType<typeof projectDetail>;
    plan: ReturnType<CoreContext['engine']['plan']>;
    byId: Map<string, Clip>;
    sources: RenderSource[];
    payment: JobPayment | undefined;
  },
): Job {
  const { store, engine } = ctx;
  const { d, plan, byId, sources, payment } = job;
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
  const names = dedupeFileNames(
    plan.combinations.map((c) =>
      engine.fileName(settingsAtStart.nameTemplate, {
        project: project.name,
        index: c.index,
        total: plan.count,
        clipPaths: c.clipIds.map((id) => byId.get(id)!.path),
        seed: settingsAtStart.seed,
        format: settingsAtStart.format,
        texts: (c.headlines ?? []).filter((h): h is string => !!h),
      }),
    ),
  );
  const durations = new Map(d.clips.map((c) => [c.id, c.info?.duration ?? 0]));
  const headlines = Object.fromEntries(plan.combinations.flatMap((c) => (c.headlines ? [[c.index, c.headlines]] : [])));
  const snapshot: JobPlanSnapshot = {
    projectName: project.name,
    sources,
    creditCost: plan.creditCost,
    ...(Object.keys(headlines).length ? { headlines } : {}),
  };
  const jobId = store.jobs.create({
    projectId,
    settings: settingsAtStart,
    seed: settingsAtStart.seed,
    plan: snapshot,
    outputDir,
    outputs: plan.combinations.map((c, i) => ({
      index: c.index,
      clipIds: c.clipIds,
      path: join(outputDir, names[i]!),
      duration: c.clipIds.reduce((sum, id) => sum + (durations.get(id) ?? 0), 0),
    })),
  });
  if (payment) ctx.credits?.jobCreated?.(payment, jobId);
  ctx.queue.jobAdded(jobId);
  ctx.projectChanged(projectId);
  const created = store.jobs.get(jobId);
  ctx.credits
    ?.jobQueued?.(created, plan.creditCost)
    .catch((e: unknown) => ctx.warn(`Credits: ${(e as Error).message}`));
  return created;
}

/** plan.*, jobs.* and queue.*: preview the plan, start and follow jobs, pause and resume the queue. */
export function jobHandlers(ctx: CoreContext): AreaHandlers<'plan'> & AreaHandlers<'jobs'> & AreaHandlers<'queue'> {
  const { store, queue, engine } = ctx;
  return {
    async 'plan.preview'({ projectId, limit = 50 }) {
      const d = projectDetail(ctx, projectId);
      const { input, warnings } = planInputFor(d);
      const base = { mode: d.project.mode, seed: d.project.settings.seed };
      try {
        const plan = engine.plan(input);
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
