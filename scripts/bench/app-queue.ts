// The app's render path for `npm run bench`: a project in a real core (SQLite, queue, engine), the same sources and
// settings as the `vmp mix` figures, rendered by starting jobs through the core API and waiting for them to finish.
import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import type { ApiEvent, MethodInput, MethodName, MethodOutput } from '@vmp/shared/api';
import { type Core, createCore } from '../../desktop/src/core/core.ts';
import { dispatch } from '../../desktop/src/core/dispatch.ts';
import { hostPlatform } from '../../desktop/src/core/platform.ts';
import type { RenderSource } from '../../desktop/src/engine/render/types.ts';
import { measured } from './report.ts';

export async function call<M extends MethodName>(
  core: Core,
  method: M,
  input: MethodInput<M>,
): Promise<MethodOutput<M>> {
  const result = await dispatch(core, method, input);
  if (!result.ok) throw new Error(`${method}: ${result.error.code} ${result.error.message}`);
  return result.output as MethodOutput<M>;
}

export interface AppBench {
  core: Core;
  projectId: string;
  /** Starts a job of every planned output and resolves when it is completed (wall and CPU of that span). */
  renderJob(keepEarlier?: boolean): Promise<{ ms: number; cpu: number | null; value: number }>;
  close(): Promise<void>;
}

/** A manual project of three groups (one per source group), `count` outputs, imported and analysed. */
export async function appBench(options: {
  dataDir: string;
  groups: Pick<RenderSource, 'path'>[][];
  count: number;
  concurrency: number;
  /** Where the core logs every FFmpeg/ffprobe command, one a line (processes per output). */
  commandLog?: string;
}): Promise<AppBench> {
  const core = createCore({
    dataDir: options.dataDir,
    ...(options.commandLog ? { commandLog: options.commandLog } : {}),
    defaultOutputDir: join(options.dataDir, 'out'),
    platform: hostPlatform({ PATH: '' }, 'linux'),
  });
  await call(core, 'app.updateSettings', { concurrency: options.concurrency });
  const project = await call(core, 'projects.create', { name: 'bench', mode: 'manual' });
  const projectId: string = project.id;
  const detail = await call(core, 'projects.get', { projectId });
  for (const [g, group] of options.groups.entries()) {
    const groupId = detail.groups[g]!.id;
    await call(core, 'clips.import', { projectId, paths: group.map((s) => s.path), groupId });
  }
  // Analysis runs in the background: wait until every clip is ok.
  for (;;) {
    const { clips } = await call(core, 'projects.get', { projectId });
    const bad = clips.find((c) => c.status !== 'ok' && c.status !== 'analysing');
    if (bad) throw new Error(`bench clip ${bad.name} is ${bad.status}`);
    if (clips.every((c) => c.status === 'ok')) break;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  await call(core, 'projects.update', { projectId, settings: { count: options.count } });

  // `keepEarlier` false: the outputs of earlier jobs are removed first (untimed), so no output can copy the audio of an
  // identical earlier one (engine/render/shared-audio.ts) and each job does the work a first rendering does.
  const renderJob = async (keepEarlier = true) => {
    if (!keepEarlier) await rm(join(options.dataDir, 'out'), { recursive: true, force: true });
    return measured(async () => {
      let jobId = '';
      const finished = new Promise<ApiEvent>((resolve) => {
        const off = core.subscribe((e) => {
          if (e.type !== 'job.updated' || e.job.id !== jobId) return;
          if (['completed', 'failed', 'cancelled'].includes(e.job.status)) {
            off();
            resolve(e);
          }
        });
      });
      const job = await call(core, 'jobs.start', { projectId });
      jobId = job.id;
      const done = (await finished) as Extract<ApiEvent, { type: 'job.updated' }>;
      if (done.job.status !== 'completed') throw new Error(`bench job ${done.job.status}: ${done.job.failed} failed`);
      return done.job.completed;
    });
  };
  return { core, projectId, renderJob, close: () => core.close() };
}
