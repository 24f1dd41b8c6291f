import { existsSync, mkdirSync, rmdirSync } from 'node:fs';
import { join } from 'node:path';
import { type Combination, creditCost } from '@vmp/shared';
import type { Job, Project } from '@vmp/shared/api';
import { AppError, ValidationError } from '@vmp/shared/errors';
import { sanitizeFileName } from '../engine/render/naming.ts';
import type { RenderSource } from '../engine/render/types.ts';
import type { JobPayment } from '../licensing/service.ts';
import type { JobDraft } from '../queue/job-draft.ts';
import { ensureCodes } from '../results/project-codes.ts';
import { type AreaHandlers, type CoreContext, projectDetail } from './context.ts';
import { countWarnings, planInputFor } from './plan.ts';

function stamp(at: Date): string {
  const p = (n: number) => String(n).padStart(2, '0');
  return `${at.getFullYear()}${p(at.getMonth() + 1)}${p(at.getDate())}-${p(at.getHours())}${p(at.getMinutes())}${p(at.getSeconds())}`;
}

/**
 * Plans the project, snapshots its sources, has the job paid for (credits hold, offline, or unlicensed with a
 * watermark; refused when the balance is short), creates the job with its outputs and hands it to the queue.
 * Planning and writing the outputs run in the engine's worker threads: the main thread sees only the draft's count
 * and clip ids, never the outputs themselves.
 */
export async function startJob(ctx: CoreContext, projectId: string, fixed?: Combination[]): Promise<Job> {
  const { store } = ctx;
  const d = projectDetail(ctx, projectId);
  const { project } = d;
  const { input } = planInputFor(d);
  const draft = await ctx.compute(
    'draftJob',
    input,
    {
      projectName: project.name,
      settings: project.settings,
      sourcePaths: new Map(d.clips.map((c) => [c.id, c.path])),
      codes: ensureCodes(store, projectId),
    },
    Object.fromEntries(d.clips.map((c) => [c.id, c.info?.duration ?? 0])),
    ...(fixed ? [fixed] : []),
  );
  // Planning ran in a worker thread: the project may have gone meanwhile.
  store.projects.get(projectId);
  if (draft.count === 0) throw new ValidationError('Nothing to render: the plan has no combinations.');
  const byId = new Map(d.clips.map((c) => [c.id, c]));
  const sources: RenderSource[] = [];
  for (const id of draft.clipIds) {
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
  const payment = await ctx.credits?.beforeJob?.(draft.count);
  try {
    return await createJob(ctx, { project, draft, sources, payment });
  } catch (error) {
    if (payment) await ctx.credits?.jobAbandoned?.(payment);
    throw error;
  }
}

async function createJob(
  ctx: CoreContext,
  job: { project: Project; draft: JobDraft; sources: RenderSource[]; payment: JobPayment | undefined },
): Promise<Job> {
  const { store } = ctx;
  const { project, draft, sources, payment } = job;
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
  const cost = creditCost(draft.count);
  let jobId: string;
  try {
    // One transaction in a worker thread: the job appears with all its outputs or not at all.
    jobId = await ctx.compute('writeJob', store.opened.file, {
      projectId,
      settings: settingsAtStart,
      seed: settingsAtStart.seed,
      outputDir,
      snapshot: { projectName: project.name, sources, creditCost: cost },
      outputs: draft.outputs,
    });
  } catch (error) {
    try {
      rmdirSync(outputDir); // Still empty: nothing was written into it.
    } catch {}
    throw error;
  }
  if (payment) ctx.credits?.jobCreated?.(payment, jobId);
  // The job as the queue just announced it (counting 10,000 outputs again would cost the main thread once more).
  const announced = ctx.queue.jobAdded(jobId);
  ctx.projectChanged(projectId);
  const created = announced ? { ...announced, etaSeconds: null } : store.jobs.get(jobId);
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
        // With placements every combination is one file per placement: the cost counts files.
        const placements = d.project.settings.placements.length;
        return {
          ...base,
          possible: plan.possible,
          count: plan.count,
          combinations: plan.combinations.slice(0, limit),
          totalDuration: plan.totalDuration,
          // Files, as the credits count them: the "Render N" buttons show this.
          files: placements ? plan.count * placements : plan.count,
          creditCost: placements ? creditCost(plan.count * placements) : plan.creditCost,
          warnings: [
            ...warnings,
            ...countWarnings(d.project.settings.count, plan.possible, plan.count),
            ...(placements > 1
              ? [`${plan.count} combinations × ${placements} placements = ${plan.count * placements} files.`]
              : []),
          ],
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
          files: 0,
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
      const retried = store.outputs.countOf(jobId, ['failed', 'cancelled']);
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
