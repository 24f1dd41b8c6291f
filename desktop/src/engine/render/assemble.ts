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
import { type SharedAudio, sharedAudioKey } from './shared-audio.ts';
import type { ReadyOutput } from './strategy/index.ts';

export interface AssembleContext {
  pool: Pick<FfmpegPool, 'run'>;
  cache: NormaliseCache;
  cacheDir: string;
  sharedAudio: SharedAudio;
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
    const keys = ready.map(({ item }) => sharedAudioKey(item, audio));
    let durations: number[] = [];
    for (const { item } of ready) run.report(item.index, 'rendering', 0.5);
    const processSignal = run.signalOf(...ready.map((r) => r.item));
    try {
      // Built when a process slot is free, so outputs finished meanwhile lend their audio (shared-audio.ts).
      const job = async () => {
        const from = await Promise.all(keys.map((key) => ctx.sharedAudio.lookup(key)));
        const items = outputs.map((o, k) => (from[k] ? { ...o, job: { ...o.job, audioFrom: from[k] } } : o));
        const command = await first.strategy.command(items, { cacheDir: ctx.cacheDir, audio });
        durations = command.durations;
        const label = `Rendering output${ready.length > 1 ? 's' : ''} ${ready.map((r) => r.item.index + 1).join(', ')}`;
        return { args: command.args, label, ...(command.env ? { env: command.env } : {}) };
      };
      // Renamed while the slot is held, so the next process built can already borrow these outputs' audio.
      const onFinished = async () => {
        for (const [k, { item }] of ready.entries()) {
          await rename(item.partPath, item.finalPath);
          await ctx.sharedAudio.remember(keys[k], item.finalPath);
        }
      };
      await ctx.pool.run(job, {
        onFinished,
        ...(processSignal ? { signal: processSignal } : {}),
        onProgress: (p) => {
          for (const [k, { item }] of ready.entries()) {
            run.report(item.index, 'rendering', 0.5 + 0.5 * Math.min(0.99, p.outTimeSeconds / (durations[k] ?? 1)));
          }
        },
      });
    } catch (error) {
      await Promise.all(ready.map(({ item }) => discardPart(item.partPath)));
      if (error instanceof CancelledError) {
        if (!ready.some(({ item }) => run.cancelledAlone(item))) throw error;
        await assemble(ctx, run, ready);
        return;
      }
      // A lent file that broke the run (changed under us) is not lent again: the retries encode their own audio.
      for (const key of keys) ctx.sharedAudio.forget(key);
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
