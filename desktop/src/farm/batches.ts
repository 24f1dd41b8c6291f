import { DEFAULT_ASSEMBLY_BATCH } from '../engine/render/renderer.ts';
import { strategyOf } from '../engine/render/strategy/index.ts';
import type { OutputSpec } from '../engine/render/types.ts';
import { batchJobId, FARM_PAYLOAD_VERSION, type FarmBatch } from './payload.ts';

/** Splits a list into batches of consecutive items. */
export function planBatches<T>(items: readonly T[], size: number): T[][] {
  const batches: T[][] = [];
  for (let at = 0; at < items.length; at += Math.max(1, size)) batches.push(items.slice(at, at + Math.max(1, size)));
  return batches;
}

/** Same batch: same folder, creation time and strategy (a job's staging folder, run mark and batch size). */
function batchKey(spec: OutputSpec & { createdAt: string }): string {
  return JSON.stringify([spec.outDir, spec.createdAt, strategyOf(spec.settings).name]);
}

/**
 * The BullMQ jobs of one run: its render specs grouped (batchKey) and cut into jobs of the strategy's batch size
 * (or the farm's own, `batchSize`, which may put several unique outputs in a job, each still its own process).
 * Each job carries its outputs' render specs as they are.
 */
export function farmBatches(
  specs: readonly OutputSpec[],
  run: { runId: string; submitter: string; batchSize?: number | undefined; createdAt: string },
): { id: string; data: FarmBatch }[] {
  const groups = new Map<string, (OutputSpec & { createdAt: string })[]>();
  for (const given of specs) {
    const spec = { ...given, createdAt: given.createdAt ?? run.createdAt };
    const key = batchKey(spec);
    groups.set(key, [...(groups.get(key) ?? []), spec]);
  }
  const batches: { id: string; data: FarmBatch }[] = [];
  for (const group of groups.values()) {
    const first = group[0]!;
    const size = run.batchSize ?? strategyOf(first.settings).batchSize(DEFAULT_ASSEMBLY_BATCH);
    for (const part of planBatches(group, size)) {
      batches.push({
        id: batchJobId(run.runId, batches.length),
        data: {
          version: FARM_PAYLOAD_VERSION,
          runId: run.runId,
          outDir: first.outDir,
          createdAt: first.createdAt,
          specs: part.map((spec) => ({ ...spec, sources: [...spec.sources] })),
          submitter: run.submitter,
        },
      });
    }
  }
  return batches;
}
