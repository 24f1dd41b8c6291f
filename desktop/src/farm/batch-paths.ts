import { stat } from 'node:fs/promises';
import { finalPathOf } from '../engine/render/spec.ts';
import type { OutputSpec } from '../engine/render/types.ts';
import { assertUnderRoots, FarmPathError, mapPath, type PathMapping } from './paths.ts';
import type { FarmBatch } from './payload.ts';

/** A batch with every path as this worker sees it, each checked against its roots and found on disk. */
export interface LocalBatch {
  outDir: string;
  /** The batch's render specs with local paths, by combination index. */
  specs: Map<number, OutputSpec>;
  /** Final local path per combination index. */
  finals: Map<number, string>;
}

async function mustExist(local: string, submitted: string, what: string, worker: string): Promise<void> {
  const found = await stat(local).catch(() => undefined);
  if (found) return;
  const mapped = local === submitted ? '' : ` (submitted as "${submitted}")`;
  throw new FarmPathError(
    'FARM_PATH_MISSING',
    `${what} "${local}"${mapped} is missing on worker ${worker}: check the worker's --path-map and that the shared folder is mounted.`,
    local,
  );
}

/**
 * Maps and checks every path a batch's specs name: clips, background music, output folder (in that order). Throws
 * FarmPathError naming the first path that is outside the roots or missing; nothing is touched before all of them
 * pass. Everything else in a spec (captions, headlines, styles, watermark, strategy…) is rendered as sent.
 */
export async function localiseBatch(
  batch: FarmBatch,
  options: { pathMap: readonly PathMapping[]; roots: readonly string[]; worker: string },
): Promise<LocalBatch> {
  const { pathMap, roots, worker } = options;
  const checked = new Map<string, string>();
  const local = async (submitted: string, kind: string, what: string): Promise<string> => {
    const known = checked.get(submitted);
    if (known) return known;
    const path = mapPath(submitted, pathMap);
    await assertUnderRoots(path, roots, kind);
    await mustExist(path, submitted, what, worker);
    checked.set(submitted, path);
    return path;
  };
  for (const spec of batch.specs) for (const source of spec.sources) await local(source.path, 'clip', 'Clip');
  for (const spec of batch.specs) {
    const music = spec.settings.audio.musicPath;
    if (music) await local(music, 'music file', 'Music file');
  }
  const outDir = await local(batch.outDir, 'output folder', 'Output folder');
  return withLocalPaths(batch, outDir, checked);
}

/**
 * The batch's specs with each clip and music path replaced by its local file (`local`: submitted path → local
 * path, every one present) and outputs made in `outDir`; shared by the shared-folder and the bucket worker.
 */
export function withLocalPaths(batch: FarmBatch, outDir: string, local: ReadonlyMap<string, string>): LocalBatch {
  const specs = new Map<number, OutputSpec>();
  const finals = new Map<number, string>();
  for (const spec of batch.specs) {
    const { audio } = spec.settings;
    const localSpec: OutputSpec = {
      ...spec,
      outDir,
      sources: spec.sources.map((s) => ({ ...s, path: local.get(s.path)! })),
      settings: audio.musicPath
        ? { ...spec.settings, audio: { ...audio, musicPath: local.get(audio.musicPath)! } }
        : spec.settings,
    };
    specs.set(spec.combination.index, localSpec);
    finals.set(spec.combination.index, finalPathOf(localSpec));
  }
  return { outDir, specs, finals };
}
