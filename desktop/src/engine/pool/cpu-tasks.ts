import { summarisePlan } from '../plan/planner.ts';
import { planOutputs } from '../plan-outputs.ts';

/**
 * CPU-bound engine work that runs in the pool's worker threads beside the FFmpeg jobs, so the main process (the
 * app's API and events) never waits for it: plain data in, plain data out.
 */
export const cpuTasks = { summarisePlan, planOutputs } as const;

export type CpuTasks = typeof cpuTasks;
export type CpuTaskName = keyof CpuTasks;

export type ComputeFn = <N extends CpuTaskName>(
  name: N,
  ...args: Parameters<CpuTasks[N]>
) => Promise<ReturnType<CpuTasks[N]>>;

/** The same tasks on the calling thread (no pool: tests with a stand-in renderer). */
export const computeInline: ComputeFn = async (name, ...args) =>
  (cpuTasks[name] as (...a: unknown[]) => never)(...args);
