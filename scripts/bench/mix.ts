// `npm run bench`: the fast strategy against a naive one-re-encode-per-output baseline, measured in the same run, and
// the app's render path (core API → queue → engine) against `vmp mix` (cold) and a bare remux per output (warm).
// Options: --outputs N (default 64), --sample N naive outputs timed (default 3), --sweep (also time assembly batch
// sizes and pool concurrency, used to choose the defaults).
import { existsSync } from 'node:fs';
import { mkdir, readdir, rm } from 'node:fs/promises';
import { cpus } from 'node:os';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { type Combination, RenderSettings } from '@vmp/shared';
import { runFfmpeg } from '../../desktop/src/engine/ffmpeg/run.ts';
import { contentKey } from '../../desktop/src/engine/hash/content-key.ts';
import { mix } from '../../desktop/src/engine/mix.ts';
import { DEFAULT_CONCURRENCY } from '../../desktop/src/engine/pool/pool.ts';
import { probeFile } from '../../desktop/src/engine/probe/probe.ts';
import { resolveProfile } from '../../desktop/src/engine/profiles/profile.ts';
import { createRenderer } from '../../desktop/src/engine/render/renderer.ts';
import type { RenderSource } from '../../desktop/src/engine/render/types.ts';
import { makeClip } from '../../desktop/test/fixtures/media.ts';
import { appBench } from './app-queue.ts';
import { benchFarm } from './farm.ts';
import { naiveArgs } from './naive.ts';
import { placementsBench } from './placements.ts';
import { costLine, measured, ratioLine, seconds } from './report.ts';
import { captionsCost } from './text.ts';

const { values: opts } = parseArgs({
  options: {
    outputs: { type: 'string', default: '64' },
    sample: { type: 'string', default: '3' },
    sweep: { type: 'boolean', default: false },
    moonshot: { type: 'boolean', default: false },
    scale: { type: 'string', default: '1' },
    aac: { type: 'boolean', default: false },
    warm: { type: 'boolean', default: false },
    paths: { type: 'boolean', default: false },
  },
});
const OUTPUTS = Number(opts.outputs);
const SAMPLE = Number(opts.sample);

const work = resolve('bench-work');
const sourceDir = join(work, 'sources');

/** 12 mixed-format 1080p-class sources in 3 groups of 4: portrait 30 fps, 720p 25 fps, landscape 60 fps, no audio. */
const KINDS = [
  { width: 1080, height: 1920, fps: 30 },
  { width: 720, height: 1280, fps: 25 },
  { width: 1920, height: 1080, fps: 60 },
  { width: 1080, height: 1920, fps: 30, audio: false as const },
];
const DURATIONS = [4, 3, 5, 3.5, 4.5, 3];

async function makeSources(): Promise<RenderSource[][]> {
  const groups: RenderSource[][] = [];
  for (let g = 0; g < 3; g++) {
    const group: RenderSource[] = [];
    for (let k = 0; k < 4; k++) {
      const id = `g${g + 1}-${k + 1}`;
      const kind = KINDS[k]!;
      const file = join(sourceDir, `${id}.mp4`);
      const spec = {
        width: kind.width,
        height: kind.height,
        fps: kind.fps,
        duration: DURATIONS[(g * 4 + k) % DURATIONS.length]!,
        audio: kind.audio === false ? (false as const) : { frequency: 300 + 100 * (g * 4 + k) },
      };
      if (!existsSync(file)) await makeClip(sourceDir, id, spec);
      group.push({ id, path: file, hash: await contentKey(file), info: await probeFile(file) });
    }
    groups.push(group);
  }
  return groups;
}

function allCombinations(groups: RenderSource[][], limit: number): Combination[] {
  const combinations: Combination[] = [];
  for (const a of groups[0]!)
    for (const b of groups[1]!)
      for (const c of groups[2]!) {
        if (combinations.length < limit) combinations.push({ index: combinations.length, clipIds: [a.id, b.id, c.id] });
      }
  return combinations;
}

async function main(): Promise<void> {
  console.log(`Benchmark: ${cpus().length} CPUs, ${OUTPUTS} outputs, naive sampled on ${SAMPLE}. Work folder: ${work}`);
  await mkdir(sourceDir, { recursive: true });
  const groups = await makeSources();
  const sources = groups.flat();
  const byId = new Map(sources.map((s) => [s.id, s]));
  const combinations = allCombinations(groups, OUTPUTS);
  const settings = RenderSettings.parse({});
  const profile = resolveProfile(settings);
  console.log(
    `Sources: ${sources.length} (${sources.map((s) => `${s.info.video?.width}x${s.info.video?.height}@${s.info.video?.fps}${s.info.audio ? '' : ' no audio'} ${s.info.duration}s`).join(', ')})`,
  );

  // (b) fast, end to end from a cold cache: normalisation + batched assembly of every output.
  const cacheDir = join(work, 'cache');
  const fastDir = join(work, 'fast');
  await rm(cacheDir, { recursive: true, force: true });
  await rm(fastDir, { recursive: true, force: true });
  const fast = await measured(() =>
    mix({ projectName: 'bench', sources, combinations, settings, outDir: fastDir, cacheDir }),
  );
  if (fast.value.failed.length) throw fast.value.failed[0]!.error;
  const fastAll = per(fast, 1);
  console.log(`fast: ${combinations.length} outputs end to end (cold cache): ${show(fastAll)}`);

  // (c) The cost of one more output once clips are normalised: warm cache, assembly only, per output.
  const warmDir = join(work, 'fast-warm');
  await rm(warmDir, { recursive: true, force: true });
  const warm = await measured(() =>
    mix({ projectName: 'bench', sources, combinations, settings, outDir: warmDir, cacheDir }),
  );
  const assemblyPer = per(warm, combinations.length);
  const firstOutput = fast.value.outputs[0]!.path;
  const REMUX_RUNS = 5;
  const remux = await measured(async () => {
    for (let i = 0; i < REMUX_RUNS; i++) {
      await runFfmpeg(['-i', firstOutput, '-c', 'copy', '-f', 'mp4', join(work, 'remux.mp4')]);
    }
  });
  const remuxPer = per(remux, REMUX_RUNS);
  console.log(
    `fast, warm cache: ${combinations.length} outputs assembled: ${show(per(warm, 1))} = ${show(assemblyPer)} per output; bare -c copy remux of one output: ${show(remuxPer)}`,
  );

  // (e) The app: the same 64 outputs through a real core (SQLite, queue, engine), started with jobs.start; first
  // from an empty cache (against `vmp mix` cold above), then again on the warm cache (against the bare remux).
  const appDir = join(work, 'app');
  await rm(appDir, { recursive: true, force: true });
  const app = await appBench({ dataDir: appDir, groups, count: combinations.length, concurrency: DEFAULT_CONCURRENCY });
  const appCold = await app.renderJob();
  // The cold job's files removed first, so the warm one encodes its audio as a first rendering does.
  const appWarm = await app.renderJob(false);
  await app.close();
  const appWarmPer = per(appWarm, appWarm.value);
  console.log(
    `app (core API, queue): ${appCold.value} outputs cold: ${show(per(appCold, 1))}; warm: ${show(per(appWarm, 1))} = ${show(appWarmPer)} per output`,
  );

  // (a) Naive baseline and (d) unique, interleaved per sampled output so both see the same machine load:
  // naive = one FFmpeg per output re-encoding every clip from its source (concat filter, same encoder settings),
  // unique = one re-encode per output from the normalised clips (warm cache by now). Both sequential.
  const naiveDir = join(work, 'naive');
  const uniqueDir = join(work, 'unique');
  await rm(naiveDir, { recursive: true, force: true });
  await rm(uniqueDir, { recursive: true, force: true });
  await mkdir(naiveDir, { recursive: true });
  const step = Math.max(1, Math.floor(combinations.length / SAMPLE));
  const sample = combinations.filter((_, i) => i % step === 0).slice(0, SAMPLE);
  const uniqueSettings = RenderSettings.parse({ strategy: 'unique' });
  const uniqueRenderer = createRenderer({ cacheDir, concurrency: 1 });
  let naiveSum = { ms: 0, cpu: 0 };
  let uniqueSum = { ms: 0, cpu: 0 };
  for (const c of sample) {
    const clips = c.clipIds.map((id) => byId.get(id)!);
    const n = await measured(() => runFfmpeg(naiveArgs(clips, profile, join(naiveDir, `naive-${c.index}.mp4`))));
    naiveSum = { ms: naiveSum.ms + n.ms, cpu: naiveSum.cpu + (n.cpu ?? Number.NaN) };
    const u = await measured(() =>
      mix({
        projectName: 'bench',
        sources,
        combinations: [c],
        settings: uniqueSettings,
        outDir: uniqueDir,
        cacheDir,
        renderer: uniqueRenderer,
      }),
    );
    if (u.value.failed.length) throw u.value.failed[0]!.error;
    uniqueSum = { ms: uniqueSum.ms + u.ms, cpu: uniqueSum.cpu + (u.cpu ?? Number.NaN) };
  }
  await uniqueRenderer.close();
  const naivePer = per(naiveSum, sample.length);
  const naiveAll = { ms: naivePer.ms * combinations.length, cpu: naivePer.cpu * combinations.length };
  const uniquePer = per(uniqueSum, sample.length);
  console.log(
    `naive: ${show(naivePer)} per output (mean of ${sample.length}); scaled to ${combinations.length}: ${show(naiveAll)}`,
  );
  console.log(`unique: ${show(uniquePer)} per output (same ${sample.length} outputs, sequential, warm cache)`);

  if (opts.sweep) await sweep(sources, combinations.slice(0, 16), settings, cacheDir);
  // Farm: the same outputs through BullMQ by 1 and 2 local `vmp worker`s (warm cache, like the local warm run).
  const [farm1, farm2] = await benchFarm({ work, sources, combinations, settings, cacheDir });
  console.log(
    `farm: ${combinations.length} outputs, 1 worker ${seconds(farm1!.ms)} (local, 1 FFmpeg: ${seconds(farm1!.localMs)}), 2 workers ${seconds(farm2!.ms)} (local, 2: ${seconds(farm2!.localMs)})`,
  );

  console.log('');
  console.log("Wall clock (this machine is shared: wall time moves with other people's load):");
  console.log(ratioLine(`  ${combinations.length} outputs, naive / fast`, naiveAll.ms, fastAll.ms, '≥ 15'));
  console.log(ratioLine('  one extra output, bare remux / fast assembly', remuxPer.ms, assemblyPer.ms, '≥ 1'));
  console.log(ratioLine('  per output, naive / unique', naivePer.ms, uniquePer.ms, '≥ 1'));
  console.log(ratioLine(`  ${combinations.length} outputs, farm 1 worker / 2 workers`, farm1!.ms, farm2!.ms, '≥ 1'));
  console.log(
    ratioLine(`  ${combinations.length} outputs, local 2 FFmpeg / farm 2 workers`, farm2!.localMs, farm2!.ms, '≈ 1'),
  );
  if (fast.cpu !== null) {
    console.log('CPU time (FFmpeg processes + this one):');
    console.log(ratioLine(`  ${combinations.length} outputs, naive / fast`, naiveAll.cpu, fastAll.cpu, '≥ 15'));
    console.log(ratioLine('  one extra output, bare remux / fast assembly', remuxPer.cpu, assemblyPer.cpu, '≥ 1'));
    console.log(ratioLine('  per output, naive / unique', naivePer.cpu, uniquePer.cpu, '≥ 1'));
  }
  console.log('The app against the engine (lower is better):');
  console.log(costLine('  wall, warm, app per output / bare remux', remuxPer.ms, appWarmPer.ms, '≤ 1.2'));
  console.log(costLine('  wall, cold, app / vmp mix', fastAll.ms, appCold.ms, '≤ 1.1'));
  if (fast.cpu !== null) {
    // The remux copies the audio; assembly encodes AAC, so in CPU neither path nears the remux: compare with mix.
    console.log(costLine('  CPU, warm, app per output / bare remux', remuxPer.cpu, appWarmPer.cpu, 'as vmp mix'));
    console.log(costLine('  CPU, cold, app / vmp mix', fastAll.cpu, per(appCold, 1).cpu, '≤ 1.1'));
    console.log(costLine('  CPU, warm, app / vmp mix (same outputs)', per(warm, 1).cpu, per(appWarm, 1).cpu, '≈ 1'));
  }
  console.log(`Captions burned in while normalising:\n${(await captionsCost(groups[0]!, work)).join('\n')}`);
  console.log((await placementsBench({ work, sources, combinations: combinations.slice(0, 8) })).join('\n'));
  const outputsWritten = (await readdir(fastDir)).filter((f) => f.endsWith('.mp4')).length;
  console.log(`(${outputsWritten} fast outputs in ${fastDir}; manifest.csv and manifest.json beside them)`);
}

function per(m: { ms: number; cpu: number | null }, n: number): { ms: number; cpu: number } {
  return { ms: m.ms / n, cpu: (m.cpu ?? Number.NaN) / n };
}

function show(m: { ms: number; cpu: number }): string {
  return Number.isNaN(m.cpu) ? seconds(m.ms) : `${seconds(m.ms)} wall, ${seconds(m.cpu)} CPU`;
}

/** Assembly batch size and pool concurrency on a warm cache: the measurements behind the defaults. */
async function sweep(
  sources: RenderSource[],
  combinations: Combination[],
  settings: RenderSettings,
  cacheDir: string,
): Promise<void> {
  const dir = join(work, 'sweep');
  for (const concurrency of [1, 2, 3]) {
    for (const assemblyBatch of [1, 4, 8, 16]) {
      await rm(dir, { recursive: true, force: true });
      const renderer = createRenderer({ cacheDir, concurrency, assemblyBatch });
      const m = await measured(() =>
        mix({ projectName: 'sweep', sources, combinations, settings, outDir: dir, cacheDir, renderer }),
      );
      await renderer.close();
      console.log(
        `sweep: assembly, concurrency ${concurrency}, batch ${assemblyBatch}: ${show(per(m, combinations.length))} per output`,
      );
    }
  }
  // Normalisation (cold) with 1, 2 and 3 processes at once, on the 12 sources.
  for (const concurrency of [1, 2, 3]) {
    const coldCache = join(work, `sweep-cache-${concurrency}`);
    await rm(coldCache, { recursive: true, force: true });
    const renderer = createRenderer({ cacheDir: coldCache, concurrency });
    const m = await measured(() => Promise.all(sources.map((s) => renderer.normalise(s, settings))));
    await renderer.close();
    await rm(coldCache, { recursive: true, force: true });
    console.log(`sweep: normalising ${sources.length} sources, concurrency ${concurrency}: ${show(per(m, 1))}`);
  }
}

if (opts.paths) await (await import('./paths.ts')).paths(OUTPUTS);
else if (opts.moonshot && opts.aac) await (await import('./moonshot-aac.ts')).aacCoders();
else if (opts.moonshot) await (await import('./moonshot.ts')).moonshot(Number(opts.scale), opts.warm);
else await main();
