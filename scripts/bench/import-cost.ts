// What an import costs per clip, engine-level, in one run over the same clips (`npm run bench:loop -- --phases import`):
// the baseline (the import's own ffprobe of each clip, nothing else), the analysis as it was before the one-run
// check (content key, ffprobe, two decode-check runs, the still's own FFmpeg run) and as it is now (content key,
// ffprobe, one FFmpeg run for the check and the still). Each pass runs one clip per core, as the core's import
// does, with its own still cache. Printed: wall, CPU-s per clip (this process and its FFmpeg children) and
// FFmpeg/ffprobe processes per clip. CPU time moves far less with other people's load than wall time.
import { rm } from 'node:fs/promises';
import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import { runFfprobe, setCommandLogger } from '../../desktop/src/engine/ffmpeg/run.ts';
import { contentKey } from '../../desktop/src/engine/hash/content-key.ts';
import { probeArgs, probeFile } from '../../desktop/src/engine/probe/probe.ts';
import { thumbnail } from '../../desktop/src/engine/thumbnails/thumbnail.ts';
import { analyseClip } from '../../desktop/src/engine/validate/analyse.ts';
import { checkDecodesSeparately } from '../../desktop/src/engine/validate/decode-check.ts';
import { validateMedia } from '../../desktop/src/engine/validate/validate.ts';
import { mapLimit } from '../../desktop/src/util/map-limit.ts';
import { measured } from './report.ts';

export interface ImportCost {
  name: string;
  wallMs: number;
  cpuMs: number;
  processes: number;
  clips: number;
}

async function pass(name: string, files: string[], one: (file: string) => Promise<void>): Promise<ImportCost> {
  let processes = 0;
  setCommandLogger(() => {
    processes++;
  });
  try {
    const concurrency = Math.max(2, availableParallelism());
    const run = await measured(() => mapLimit(files, concurrency, one));
    return { name, wallMs: run.ms, cpuMs: run.cpu ?? Number.NaN, processes, clips: files.length };
  } finally {
    setCommandLogger(() => {});
  }
}

/** The analysis and still as the import made them before the one-run check: four FFmpeg/ffprobe runs per clip. */
async function before(file: string, cacheDir: string): Promise<void> {
  const hash = await contentKey(file);
  const info = await probeFile(file);
  if (validateMedia(file, info, { size: 1 }).length > 0) throw new Error(`${file}: not a usable clip`);
  const decode = await checkDecodesSeparately(file, info);
  if (!decode.ok) throw new Error(`${file}: ${decode.detail}`);
  await thumbnail(file, { cacheDir, hash, info, duration: info.duration });
}

async function after(file: string, cacheDir: string): Promise<void> {
  const result = await analyseClip(file, { thumbnail: { cacheDir } });
  if (result.problems.length > 0 || !result.thumbnail) throw new Error(`${file}: ${JSON.stringify(result.problems)}`);
}

export function importCostLine(cost: ImportCost, baseline?: ImportCost): string {
  const perClip = cost.cpuMs / 1000 / cost.clips;
  const ratio = baseline ? `; ${(cost.cpuMs / baseline.cpuMs).toFixed(2)}x the baseline's CPU` : '';
  return `  ${cost.name.padEnd(58)} ${(cost.wallMs / 1000).toFixed(2)} s wall, ${perClip.toFixed(3)} CPU-s per clip, ${(cost.processes / cost.clips).toFixed(2)} processes per clip${ratio}`;
}

/** The three passes over `files`, each from an empty still cache in `work`; prints a line per pass. */
export async function importCost(files: string[], work: string): Promise<ImportCost[]> {
  const caches = ['baseline', 'before', 'after'].map((n) => join(work, `thumbs-${n}`));
  await Promise.all(caches.map((c) => rm(c, { recursive: true, force: true })));
  const baseline = await pass(`baseline: the import's ffprobe alone (${files.length} clips)`, files, async (file) => {
    await runFfprobe(probeArgs(file));
  });
  console.log(importCostLine(baseline));
  const old = await pass('before: hash, ffprobe, 2 decode-check runs, the still', files, (f) => before(f, caches[1]!));
  console.log(importCostLine(old, baseline));
  const now = await pass('after: hash, ffprobe, one run for the check and the still', files, (f) =>
    after(f, caches[2]!),
  );
  console.log(importCostLine(now, baseline));
  console.log(
    `  after / before: ${(now.cpuMs / old.cpuMs).toFixed(2)}x the CPU, ${(now.wallMs / old.wallMs).toFixed(2)}x the wall`,
  );
  return [baseline, old, now];
}
