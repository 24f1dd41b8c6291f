// What an import costs per clip, engine-level, in one run over the same clips (`npm run bench:loop -- --phases import`):
// the baseline (the import's own ffprobe of each clip, nothing else), the analysis one clip at a time (content key,
// ffprobe, one FFmpeg run for the decode check and the still) and in batches as the core's import runs it (each
// clip hashed and probed, one FFmpeg run checking the whole batch). Each pass runs one clip or batch per core, as
// the core's import does, with its own still cache. Printed: wall, CPU-s per clip (this process and its FFmpeg children) and
// FFmpeg/ffprobe processes per clip. CPU time moves far less with other people's load than wall time.
import { rm } from 'node:fs/promises';
import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import { analysisBatches } from '../../desktop/src/core/clip-analysis.ts';
import { runFfprobe, setCommandLogger } from '../../desktop/src/engine/ffmpeg/run.ts';
import { probeArgs } from '../../desktop/src/engine/probe/probe.ts';
import { analyseClip, analyseClips, type ClipAnalysis } from '../../desktop/src/engine/validate/analyse.ts';
import { mapLimit } from '../../desktop/src/util/map-limit.ts';
import { measured } from './report.ts';

export interface ImportCost {
  name: string;
  wallMs: number;
  cpuMs: number;
  processes: number;
  clips: number;
}

async function pass<T>(name: string, clips: number, units: T[], one: (unit: T) => Promise<void>): Promise<ImportCost> {
  let processes = 0;
  setCommandLogger(() => {
    processes++;
  });
  try {
    const concurrency = Math.max(2, availableParallelism());
    const run = await measured(() => mapLimit(units, concurrency, one));
    return { name, wallMs: run.ms, cpuMs: run.cpu ?? Number.NaN, processes, clips };
  } finally {
    setCommandLogger(() => {});
  }
}

function mustBeClean(results: ClipAnalysis[]): void {
  for (const r of results) {
    if (r.problems.length > 0 || !r.thumbnail) throw new Error(`${r.path}: ${JSON.stringify(r.problems)}`);
  }
}

export function importCostLine(cost: ImportCost, baseline?: ImportCost): string {
  const perClip = cost.cpuMs / 1000 / cost.clips;
  const ratio = baseline ? `; ${(cost.cpuMs / baseline.cpuMs).toFixed(2)}x the baseline's CPU` : '';
  return `  ${cost.name.padEnd(58)} ${(cost.wallMs / 1000).toFixed(2)} s wall, ${perClip.toFixed(3)} CPU-s per clip, ${(cost.processes / cost.clips).toFixed(2)} processes per clip${ratio}`;
}

/** The three passes over `files`, each from an empty still cache in `work`; prints a line per pass. */
export async function importCost(files: string[], work: string): Promise<ImportCost[]> {
  const caches = ['baseline', 'single', 'batched'].map((n) => join(work, `thumbs-${n}`));
  await Promise.all(caches.map((c) => rm(c, { recursive: true, force: true })));
  const n = files.length;
  const baseline = await pass(`baseline: the import's ffprobe alone (${n} clips)`, n, files, async (file) => {
    await runFfprobe(probeArgs(file));
  });
  console.log(importCostLine(baseline));
  const single = await pass('one clip at a time: hash, ffprobe, one FFmpeg run', n, files, async (file) => {
    mustBeClean([await analyseClip(file, { thumbnail: { cacheDir: caches[1]! } })]);
  });
  console.log(importCostLine(single, baseline));
  const batches = analysisBatches(files);
  const batched = await pass(
    `in batches of ${batches[0]?.length ?? 0}: hash, ffprobe each, one FFmpeg run per batch`,
    n,
    batches,
    async (batch) => mustBeClean(await analyseClips(batch, { thumbnail: { cacheDir: caches[2]! } })),
  );
  console.log(importCostLine(batched, baseline));
  console.log(
    `  batched / one at a time: ${(batched.cpuMs / single.cpuMs).toFixed(2)}x the CPU, ${(batched.wallMs / single.wallMs).toFixed(2)}x the wall`,
  );
  return [baseline, single, batched];
}
