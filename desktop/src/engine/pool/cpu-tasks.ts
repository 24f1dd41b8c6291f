import { draftJob, writeJob } from '../../queue/job-draft.ts';
import { contentKey } from '../hash/content-key.ts';
import { summarisePlan } from '../plan/planner.ts';
import { writeManifest } from '../render/manifest.ts';
import { thumbnail } from '../thumbnails/thumbnail.ts';
import { analyseClip } from '../validate/analyse.ts';

/**
 * CPU-bound work that runs in the pool's worker threads beside the FFmpeg jobs, so the main process (the app's API
 * and events) never waits for it: plain data in, plain data out. Besides the CPU itself this keeps child-process
 * spawns off the main thread (probing and decode checks: a spawn blocks its thread for 10-400 ms on a loaded box)
 * and large structured clones (a job's outputs cross as bytes, see queue/job-draft.ts).
 */
export const cpuTasks = {
  summarisePlan,
  draftJob,
  writeJob,
  contentKey,
  analyseClip,
  thumbnail,
  writeManifest,
} as const;

export type CpuTasks = typeof cpuTasks;
export type CpuTaskName = keyof CpuTasks;
export type CpuTaskResult<N extends CpuTaskName> = Awaited<ReturnType<CpuTasks[N]>>;

export type ComputeFn = <N extends CpuTaskName>(name: N, ...args: Parameters<CpuTasks[N]>) => Promise<CpuTaskResult<N>>;

/** The same tasks on the calling thread (no pool: tests with a stand-in renderer). */
export const computeInline: ComputeFn = async (name, ...args) =>
  (cpuTasks[name] as (...a: unknown[]) => never)(...args);
