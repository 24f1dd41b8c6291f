import { statSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import { availableParallelism } from 'node:os';
import { basename } from 'node:path';
import type { ClipProblem } from '@vmp/shared';
import type { Clip } from '@vmp/shared/api';
import { mapLimit } from '../util/map-limit.ts';
import type { CoreContext } from './context.ts';

/** Clips analysed at once: one per core (each is a chain of short ffprobe/FFmpeg runs in the worker threads). */
export const ANALYSE_CONCURRENCY = Math.max(2, availableParallelism());

export function clipStatus(problems: ClipProblem[]): Clip['status'] {
  return problems.length === 0 ? 'ok' : 'problem';
}

/** Clips analysed in one batch at most: one FFmpeg run checks them all, so its start-up is paid once per batch. */
const ANALYSE_BATCH = 8;

/** Splits clips into batches for the cores: as many as there are cores for a few clips, ≤ ANALYSE_BATCH for many. */
export function analysisBatches<T>(items: readonly T[], cores = ANALYSE_CONCURRENCY): T[][] {
  const size = Math.max(1, Math.min(ANALYSE_BATCH, Math.ceil(items.length / cores)));
  const batches: T[][] = [];
  for (let i = 0; i < items.length; i += size) batches.push(items.slice(i, i + size));
  return batches;
}

/**
 * Analyses clips that are in the store (one batch: see analysisBatches), saves each result and its thumbnail and
 * emits clip.updated for each. Throws only when the analysis could not run at all (FFmpeg missing, closed).
 */
export async function analyseStored(ctx: CoreContext, clips: readonly { clip: Clip; path: string }[]): Promise<Clip[]> {
  const { engine, store } = ctx;
  // The stills come out of the analysis's own FFmpeg run (one ffprobe per clip, one FFmpeg per batch), keyed by
  // content: the same clip in two projects (or re-imported) shares one still.
  const paths = clips.map((c) => c.path);
  const analyses = await engine.analyse(paths, { maxBytes: ctx.settings().maxClipBytes, thumbsDir: ctx.thumbsDir });
  const patches = [];
  for (const [i, { clip, path }] of clips.entries()) {
    const analysis = analyses[i]!;
    const stats = statSync(path, { throwIfNoEntry: false });
    let thumbnail = analysis.thumbnail ?? null;
    if (analysis.thumbnail === undefined && analysis.info?.video && analysis.hash && analysis.problems.length === 0) {
      try {
        const options = {
          cacheDir: ctx.thumbsDir,
          key: analysis.hash,
          duration: analysis.info.duration,
          info: analysis.info,
        };
        thumbnail = await engine.thumbnail(path, options);
      } catch {
        // A clip without a thumbnail still mixes; the UI shows a placeholder.
      }
    }
    const patch = {
      path,
      name: basename(path),
      hash: analysis.hash,
      size: analysis.size,
      mtimeMs: stats?.mtimeMs ?? null,
      info: analysis.info,
      problems: analysis.problems,
      status: clipStatus(analysis.problems),
      thumbnail,
    };
    patches.push({ id: clip.id, patch });
  }
  // A clip removed while it was analysed is not saved (nor announced); the batch's other clips are.
  const updated = store.clips.saveAnalyses(patches);
  for (const saved of updated) ctx.hub.emit({ type: 'clip.updated', clip: saved });
  return updated;
}

/** Deletes the stills no clip uses any more; call after removing clip records (a still is shared by content). */
export async function removeUnusedThumbnails(ctx: CoreContext, files: readonly (string | null)[]): Promise<void> {
  const unused = [...new Set(files)].filter((f): f is string => !!f && !ctx.store.clips.thumbnailInUse(f));
  await Promise.all(unused.map((f) => rm(f, { force: true })));
}

/** Imports cut short by a crash or quit: analyses those clips again, in the background. */
export function resumeInterruptedAnalyses(ctx: CoreContext): void {
  const interrupted = ctx.store.clips.withStatus('analysing');
  if (interrupted.length === 0) return;
  void mapLimit(analysisBatches(interrupted), ANALYSE_CONCURRENCY, async (batch) => {
    try {
      await analyseStored(
        ctx,
        batch.map((clip) => ({ clip, path: clip.path })),
      );
      for (const projectId of new Set(batch.map((c) => c.projectId)))
        ctx.hub.emit({ type: 'project.changed', projectId });
    } catch {
      // Closed meanwhile, or FFmpeg missing: the clips stay 'analysing' and are retried at the next start.
    }
  });
}
