import { stat } from 'node:fs/promises';
import { join } from 'node:path';
import type { RenderSettings } from '@vmp/shared';
import { normaliseFileName } from '../engine/render/naming.ts';
import type { RenderSource } from '../engine/render/types.ts';
import { assertUnderRoots, FarmPathError, mapPath, type PathMapping } from './paths.ts';
import type { FarmBatch } from './payload.ts';

/** A batch with every path as this worker sees it, each checked against its roots and found on disk. */
export interface LocalBatch {
  outDir: string;
  sources: RenderSource[];
  settings: RenderSettings;
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
 * Maps and checks every path a batch names: clips, background music, output folder (in that order). Throws FarmPathError naming
 * the first path that is outside the roots or missing; nothing is touched before all of them pass.
 */
export async function localiseBatch(
  batch: FarmBatch,
  options: { pathMap: readonly PathMapping[]; roots: readonly string[]; worker: string },
): Promise<LocalBatch> {
  const { pathMap, roots, worker } = options;
  const sources: RenderSource[] = [];
  for (const source of batch.sources) {
    const local = mapPath(source.path, pathMap);
    await assertUnderRoots(local, roots, 'clip');
    await mustExist(local, source.path, 'Clip', worker);
    sources.push({ ...source, path: local });
  }
  let settings = batch.settings;
  const music = settings.audio.musicPath;
  if (music) {
    const local = mapPath(music, pathMap);
    await assertUnderRoots(local, roots, 'music file');
    await mustExist(local, music, 'Music file', worker);
    settings = { ...settings, audio: { ...settings.audio, musicPath: local } };
  }
  const outDir = mapPath(batch.outDir, pathMap);
  await assertUnderRoots(outDir, roots, 'output folder');
  await mustExist(outDir, batch.outDir, 'Output folder', worker);
  const finals = new Map(batch.outputs.map((o) => [o.combination.index, join(outDir, normaliseFileName(o.fileName))]));
  return { outDir, sources, settings, finals };
}
