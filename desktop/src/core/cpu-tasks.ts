import { fileURLToPath } from 'node:url';
import { contentKey } from '../engine/hash/content-key.ts';
import { summarisePlan } from '../engine/plan/planner.ts';
import { FfmpegPool, type PoolOptions } from '../engine/pool/pool.ts';
import { writeManifest } from '../engine/render/manifest.ts';
import { thumbnail } from '../engine/thumbnails/thumbnail.ts';
import { analyseClips } from '../engine/validate/analyse.ts';
import { checkRendered } from '../queue/check-output.ts';
import { finishJobChecks } from '../queue/job-checks.ts';
import { draftJob, writeJob } from '../queue/job-draft.ts';

/**
 * The app's CPU-bound work, run in the FFmpeg pool's worker threads (the pool runs the table it is given) beside the FFmpeg jobs, so the main process (the app's API
 * and events) never waits for it: plain data in, plain data out. Besides the CPU itself this keeps child-process
 * spawns off the main thread (probing and decode checks: a spawn blocks its thread for 10-400 ms on a loaded box)
 * and large structured clones (a job's outputs cross as bytes, see queue/job-draft.ts).
 */
export const cpuTasks = {
  summarisePlan,
  draftJob,
  writeJob,
  contentKey,
  analyseClips,
  thumbnail,
  writeManifest,
  checkRendered,
  finishJobChecks,
} as const;

export type CpuTasks = typeof cpuTasks;
export type CpuTaskName = keyof CpuTasks;
export type CpuTaskResult<N extends CpuTaskName> = Awaited<ReturnType<CpuTasks[N]>>;

export type ComputeFn = <N extends CpuTaskName>(name: N, ...args: Parameters<CpuTasks[N]>) => Promise<CpuTaskResult<N>>;

/** The same tasks on the calling thread (no pool: tests with a stand-in renderer). */
export const computeInline: ComputeFn = async (name, ...args) =>
  (cpuTasks[name] as (...a: unknown[]) => never)(...args);

/**
 * The worker entry that knows these tasks: from source, cpu-worker-dev.mjs (registers tsx, loads cpu-worker.ts);
 * packaged, the bundle of cpu-worker.ts the build writes as ffmpeg-worker.mjs beside the app's bundle.
 */
export function cpuWorkerFile(): string {
  const fromSource = import.meta.url.endsWith('.ts');
  return fileURLToPath(new URL(fromSource ? './cpu-worker-dev.mjs' : './ffmpeg-worker.mjs', import.meta.url));
}

/** A pool whose workers run FFmpeg and these tasks (the renderer is given it, so both share its threads). */
export function createCpuPool(options: Omit<PoolOptions, 'workerFile'> = {}): FfmpegPool<CpuTasks> {
  return new FfmpegPool<CpuTasks>({ ...options, workerFile: process.env.VMP_FFMPEG_WORKER ?? cpuWorkerFile() });
}
