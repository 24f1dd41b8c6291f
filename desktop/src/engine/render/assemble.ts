import { randomBytes } from 'node:crypto';
import { mkdir, rename, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { CancelledError } from '../errors.ts';
import { outputAudio } from '../loudness/music.ts';
import type { FfmpegPool } from '../pool/pool.ts';
import { concatList } from './assemble-args.ts';
import type { BatchRun } from './batch-run.ts';
import type { NormaliseCache } from './cache.ts';
import { discardPart } from './part-file.ts';
import { metadataFor, type Prepared } from './prepare.ts';
import type { ReadyOutput } from './strategy/index.ts';

export interface AssembleContext {
  pool: Pick<FfmpegPool, 'run'>;
  cache: NormaliseCache;
  cacheDir: string;
}

/**
 * One FFmpeg process for these outputs (their strategy's command). If it fails, each output is retried alone to
 * find the culprit; if one output is cancelled, the process is stopped and the others are assembled again without it.
 */
export async function assemble(
  ctx: AssembleContext,
  run: BatchRun,
  candidates: readonly { item: Prepared; paths: string[] }[],
): Promise<void> {
  const ready = candidates.filter(({ item }) => {
    if (!run.cancelledAlone(item)) return true;
    run.cancel(item);
    return false;
  });
  if (ready.length === 0) return;
  const listDir = join(ctx.cacheDir, 'lists');
  await mkdir(listDir, { recursive: true });
  const lists: string[] = [];
  try {
    const outputs: ReadyOutput[] = [];
    for (const { item, paths } of ready) {
      await mkdir(item.spec.outDir, { recursive: true });
      const listFile = join(listDir, `${randomBytes(6).toString('hex')}.ffconcat`);
      await writeFile(listFile, concatList(paths));
      lists.push(listFile);
      outputs.push({
        item,
        job: { listFile, output: item.partPath, samples: item.samples, metadata: metadataFor(item) },
      });
    }
    const first = ready[0]!.item;
    const audio = await outputAudio(ctx.cache.loudness, first.spec.settings, run.signal);
    const { args, durations, env } = await first.strategy.command(outputs, { cacheDir: ctx.cacheDir, audio });
    for (const { item } of ready) run.report(item.index, 'rendering', 0.5);
    const processSignal = run.signalOf(...ready.map((r) => r.item));
    try {
      await ctx.pool.run(
        {
          args,
          label: `Rendering output${ready.length > 1 ? 's' : ''} ${ready.map((r) => r.item.index + 1).join(', ')}`,
          ...(env ? { env } : {}),
        },
        {
          ...(processSignal ? { signal: processSignal } : {}),
          onProgress: (p) => {
            for (const [k, { item }] of ready.entries()) {
              run.report(item.index, 'rendering', 0.5 + 0.5 * Math.min(0.99, p.outTimeSeconds / (durations[k] ?? 1)));
            }
          },
        },
      );
    } catch (error) {
      await Promise.all(ready.map(({ item }) => discardPart(item.partPath)));
      if (error instanceof CancelledError) {
        if (!ready.some(({ item }) => run.cancelledAlone(item))) throw error;
        await assemble(ctx, run, ready);
        return;
      }
      if (ready.length > 1) {
        // Isolate: one bad output must not fail its batch mates.
        for (const one of ready) await assemble(ctx, run, [one]);
        return;
      }
      run.settleError(ready[0]!.item, error);
      return;
    }
    // A complete file is kept even if its output was cancelled in the last moment: the work is done.
    for (const [k, { item }] of ready.entries()) {
      await rename(item.partPath, item.finalPath);
      run.done({
        index: item.index,
        path: item.finalPath,
        clipIds: [...item.spec.combination.clipIds],
        sources: item.clips.map((c) => c.path),
        duration: durations[k] ?? 0,
        seed: item.seed,
        ...(item.spec.combination.headlines ? { headlines: [...item.spec.combination.headlines] } : {}),
      });
    }
  } finally {
    await Promise.all(lists.map((l) => rm(l, { force: true })));
  }
}
