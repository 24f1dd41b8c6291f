// Placements: the same combinations for 3 placements against 1, each from a cold cache, measured in one run.
// `npm run bench` prints these lines; alone: `npx tsx scripts/bench/placements.ts --outputs 8`.
import { rm } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { type Combination, type PlacementName, RenderSettings } from '@vmp/shared';
import { contentKey } from '../../desktop/src/engine/hash/content-key.ts';
import { mix } from '../../desktop/src/engine/mix.ts';
import { expandPlacements } from '../../desktop/src/engine/placement/index.ts';
import { planFileNames } from '../../desktop/src/engine/plan-outputs.ts';
import { probeFile } from '../../desktop/src/engine/probe/probe.ts';
import type { RenderSource } from '../../desktop/src/engine/render/types.ts';
import { makeClip } from '../../desktop/test/fixtures/media.ts';
import { costLine, measured, seconds } from './report.ts';

/** Renders `combinations` for these placements from an empty cache (pre-flight and near-duplicates included). */
async function run(
  work: string,
  name: string,
  sources: readonly RenderSource[],
  combinations: readonly Combination[],
  placements: PlacementName[],
) {
  const settings = RenderSettings.parse({ placements });
  const lengths = new Map(sources.map((s) => [s.id, s.info.duration]));
  const expanded = expandPlacements(combinations, settings, (c) =>
    c.clipIds.reduce((sum, id) => sum + (lengths.get(id) ?? 0), 0),
  ).combinations;
  const paths = new Map(sources.map((s) => [s.id, s.path]));
  const cacheDir = join(work, `cache-${name}`);
  const outDir = join(work, `out-${name}`);
  await rm(cacheDir, { recursive: true, force: true });
  await rm(outDir, { recursive: true, force: true });
  const m = await measured(() =>
    mix({
      projectName: 'bench',
      sources,
      combinations: expanded,
      fileNames: planFileNames('bench', expanded, paths, settings),
      settings,
      outDir,
      cacheDir,
    }),
  );
  if (m.value.failed.length) throw m.value.failed[0]!.error;
  const failing = Object.values(m.value.checks).filter((c) => !c.preflight.ok).length;
  return { ...m, files: m.value.outputs.length, failing };
}

/** The lines `npm run bench` prints for 3 placements against 1 (same combinations, each from a cold cache). */
export async function placementsBench(options: {
  work: string;
  sources: readonly RenderSource[];
  combinations: readonly Combination[];
}): Promise<string[]> {
  const one = await run(options.work, 'reels', options.sources, options.combinations, ['reels']);
  const sameCanvas = await run(options.work, 'vertical3', options.sources, options.combinations, [
    'reels',
    'tiktok',
    'shorts',
  ]);
  const threeCanvases = await run(options.work, 'canvas3', options.sources, options.combinations, [
    'reels',
    'feed-4x5',
    'feed-1x1',
  ]);
  const line = (label: string, r: typeof one) =>
    `  ${label}: ${r.files} files in ${seconds(r.ms)}${r.cpu === null ? '' : ` (${seconds(r.cpu)} CPU)`}, pre-flight failures ${r.failing}`;
  return [
    `Placements (${options.combinations.length} combinations, cold cache, pre-flight and near-duplicates included):`,
    line('reels', one),
    line('reels, tiktok, shorts (one canvas)', sameCanvas),
    line('reels, feed-4x5, feed-1x1 (three canvases)', threeCanvases),
    costLine('  wall, 3 placements on one canvas / 1 placement', one.ms, sameCanvas.ms, '< 3'),
    costLine('  wall, 3 placements on three canvases / 1 placement', one.ms, threeCanvases.ms, '≤ 3'),
  ];
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const { values } = parseArgs({ options: { outputs: { type: 'string', default: '8' } } });
  const work = resolve('bench-work', 'placements');
  const dir = join(work, 'sources');
  const sources: RenderSource[] = [];
  for (const [i, kind] of [
    { width: 1080, height: 1920, fps: 30 },
    { width: 1920, height: 1080, fps: 60 },
    { width: 720, height: 1280, fps: 25 },
    { width: 1080, height: 1920, fps: 30 },
  ].entries()) {
    const path = await makeClip(dir, `s${i}`, { ...kind, duration: 3, audio: { frequency: 300 + 100 * i } });
    sources.push({ id: `s${i}`, path, hash: await contentKey(path), info: await probeFile(path) });
  }
  const combinations: Combination[] = [];
  for (const a of sources.slice(0, 2))
    for (const b of sources.slice(2))
      for (const c of sources)
        if (combinations.length < Number(values.outputs) && c !== a && c !== b)
          combinations.push({ index: combinations.length, clipIds: [a.id, b.id, c.id] });
  console.log((await placementsBench({ work, sources, combinations })).join('\n'));
}
