import { basename } from 'node:path';
import { RenderSettings } from '@vmp/shared';
import { NEAR_DUPLICATE_LIST } from '@vmp/shared/api';
import { z } from 'zod';
import type { OutputCheck } from '../engine/preflight/after-render.ts';
import { drawnBoxes } from '../engine/preflight/boxes.ts';
import { writeManifest } from '../engine/render/manifest.ts';
import { outputSeed } from '../engine/render/naming.ts';
import type { OutputResult } from '../engine/render/types.ts';
import { type HashedOutput, nearDuplicates } from '../engine/similarity/index.ts';
import { connectDb } from '../store/db.ts';
import { toOutput } from '../store/rows.ts';
import { Store } from '../store/store.ts';
import { checkRendered } from './check-output.ts';
import { buildOutputSpec, type JobPlanSnapshot } from './spec.ts';

/** What finishing a job's checks did, for the queue to tell the UI. */
export interface FinishedChecks {
  /** The report was stored and the job's debt cleared (false: outputs were retried meanwhile, or nothing owed). */
  stored: boolean;
  /** Outputs checked here (finished without a check: recovered after a crash, or their check failed). */
  checked: number;
  pairs: number;
  /** Files that could not be checked, in words for a notice. */
  warnings: string[];
}

const Hashes = z.array(z.string().regex(/^[0-9a-f]{1,16}$/));

/**
 * When every output of a job made for placements has finished: checks the ones not yet checked, reports the
 * near-duplicate pairs over all of them (engine/similarity, per placement) and writes manifest.csv/json into the
 * job's folder (engine/render/manifest, as `vmp mix` does: preflight, components, adId, adName per row). Runs in
 * the engine's worker threads over its own connection to the database (as writeJob), so neither the FFmpeg spawns
 * nor the pairwise comparison hold the app's main thread.
 */
export async function finishJobChecks(dbFile: string, jobId: string): Promise<FinishedChecks> {
  const opened = connectDb(dbFile);
  try {
    const store = new Store(opened);
    const job = store.jobs.withPlan(jobId);
    const generation = job.checksOwed;
    if (!generation) return { stored: false, checked: 0, pairs: 0, warnings: [] };
    const plan = job.plan as JobPlanSnapshot;
    const settings = RenderSettings.parse(job.settings);
    const rows = store.outputs.rowsOf(jobId);
    const results: OutputResult[] = [];
    const checks: Record<number, OutputCheck> = {};
    const hashed: HashedOutput[] = [];
    const warnings: string[] = [];
    let checked = 0;
    for (const row of rows) {
      if (row.status !== 'completed') continue;
      const output = toOutput(row);
      const spec = buildOutputSpec(job, output);
      const { combination } = spec;
      const byId = new Map(spec.sources.map((s) => [s.id, s.path]));
      results.push({
        index: output.index,
        path: row.path,
        clipIds: output.clipIds,
        sources: output.clipIds.map((id) => byId.get(id) ?? id),
        duration: output.duration ?? 0,
        seed: outputSeed(settings.seed, output.index),
        ...(combination.headlines ? { headlines: combination.headlines } : {}),
      });
      const placement = combination.placement;
      if (!placement) continue;
      let preflight = output.preflight ?? null;
      let opening = Hashes.safeParse(row.opening).data ?? null;
      let textBoxes = preflight && opening ? drawnBoxes(spec) : null;
      if (!preflight || !opening || !textBoxes) {
        try {
          const check = await checkRendered(spec);
          ({ preflight, opening, textBoxes } = check);
          store.outputs.update(output.id, { preflight, opening });
          checked++;
        } catch (error) {
          warnings.push(`Could not check ${basename(row.path)} against ${placement}: ${(error as Error).message}`);
          continue;
        }
      }
      checks[output.index] = { placement, preflight, textBoxes };
      hashed.push({ file: basename(row.path), placement, hashes: opening.map((h) => BigInt(`0x${h}`)) });
    }
    const pairs = nearDuplicates(hashed);
    try {
      await writeManifest(job.outputDir, {
        projectName: plan.projectName,
        createdAt: new Date(job.createdAt),
        settings,
        outputs: results,
        ...(plan.codes ? { ads: plan.codes } : {}),
        checks,
        failed: rows
          .filter((r) => r.status === 'failed')
          .map((r) => ({ index: r.index, error: { message: r.error ?? 'Failed.' } })),
      });
    } catch (error) {
      // The folder went (moved or deleted by hand): the checks still count; the job must not stay open.
      warnings.push(`Could not write the manifest in ${job.outputDir}: ${(error as Error).message}`);
    }
    const stored = store.jobs.finishChecks(jobId, generation, {
      total: pairs.length,
      pairs: pairs.slice(0, NEAR_DUPLICATE_LIST),
    });
    return { stored, checked, pairs: pairs.length, warnings };
  } finally {
    opened.close();
  }
}
