import { randomBytes } from 'node:crypto';
import { mkdir, rename, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { CancelledError } from '../errors.ts';
import { FfmpegPool } from '../pool/pool.ts';
import { type Profile, resolveProfile } from '../profiles/profile.ts';
import { type AssemblyItem, assembleArgs, concatList, type OutputMetadata } from './assemble-args.ts';
import { NormaliseCache } from './cache.ts';
import { NormaliseFailedError, RenderFailedError } from './errors.ts';
import { normaliseFileName, outputFileName, outputSeed, shortClipName } from './naming.ts';
import { normalisePlan } from './normalise-args.ts';
import { discardPart, partPathOf } from './part-file.ts';
import type {
  BatchOptions,
  BatchResult,
  OutputPhase,
  OutputResult,
  OutputSpec,
  Renderer,
  RendererOptions,
  RenderOptions,
  RenderSource,
} from './types.ts';
import { drawVariation, uniqueArgs, variedFrames } from './unique-args.ts';

/**
 * Outputs per assembly process (fast strategy): 8 shares process start-up without leaving one process with all the
 * work (figures in scripts/bench/README.md). A failed batch is retried one output at a time.
 */
export const DEFAULT_ASSEMBLY_BATCH = 8;

/** Everything derived from a spec before any FFmpeg runs. */
interface Prepared {
  spec: OutputSpec;
  index: number;
  profile: Profile;
  clips: RenderSource[];
  finalPath: string;
  partPath: string;
  seed: number;
  /** Frames/samples of the plain concatenation of the normalised clips. */
  frames: number;
  samples: number;
  createdAt: Date;
}

function prepare(spec: OutputSpec): Prepared {
  const { combination, settings } = spec;
  const byId = new Map(spec.sources.map((s) => [s.id, s]));
  const clips = combination.clipIds.map((id) => {
    const source = byId.get(id);
    if (!source) {
      throw new RenderFailedError(`Output ${combination.index + 1}: clip "${id}" is not among the sources.`, {
        index: combination.index,
        clipId: id,
      });
    }
    return source;
  });
  const profile = resolveProfile(settings);
  const seed = outputSeed(settings.seed, combination.index);
  const fileName = spec.fileName
    ? normaliseFileName(spec.fileName)
    : outputFileName(settings.nameTemplate, {
        project: spec.projectName,
        index: combination.index,
        total: combination.index + 1,
        clipNames: clips.map((c) => shortClipName(c.path)),
        seed,
        format: settings.format,
      });
  const finalPath = join(spec.outDir, fileName);
  let frames = 0;
  let samples = 0;
  for (const clip of clips) {
    const plan = normalisePlan(clip.info, profile);
    frames += plan.frames;
    samples += plan.samples;
  }
  return {
    spec,
    index: combination.index,
    profile,
    clips,
    finalPath,
    partPath: partPathOf(finalPath),
    seed,
    frames,
    samples,
    createdAt: spec.createdAt ?? new Date(),
  };
}

/** Aborts when any of the given signals does; undefined when none is given. */
function anySignal(signals: readonly (AbortSignal | undefined)[]): AbortSignal | undefined {
  const present = signals.filter((s): s is AbortSignal => s !== undefined);
  if (present.length <= 1) return present[0];
  return AbortSignal.any(present);
}

function metadataFor(item: Prepared): OutputMetadata {
  const name = item.finalPath.split(/[\\/]/).pop() ?? '';
  return {
    title: name.replace(/\.mp4$/i, ''),
    comment: `Video Mixer Pro; project ${item.spec.projectName}; combination ${item.index}: ${item.spec.combination.clipIds.join(' + ')}; seed ${item.seed}`,
    creationTime: item.createdAt.toISOString(),
  };
}

function failure(item: Prepared, error: unknown): Error {
  if (error instanceof CancelledError || error instanceof RenderFailedError) return error;
  const output = item.finalPath;
  if (error instanceof NormaliseFailedError) {
    return new RenderFailedError(
      `Output ${item.index + 1} (${output}) failed: clip "${error.clipPath}" could not be prepared. ${error.message}`,
      { index: item.index, output, clipId: error.clipId, clipPath: error.clipPath },
      error,
    );
  }
  const reason = error instanceof Error ? error.message : String(error);
  return new RenderFailedError(
    `Output ${item.index + 1} (${output}) failed while rendering clips ${item.clips.map((c) => c.path).join(', ')}: ${reason}`,
    { index: item.index, output },
    error,
  );
}

/** Same audio treatment, so several outputs can share one assembly process. */
function audioKey(item: Prepared): string {
  const { audio } = item.spec.settings;
  return JSON.stringify([audio.mode, audio.musicPath, audio.musicVolume, audio.clipVolume]);
}

/**
 * The render engine for single outputs and batches. One instance per app (it owns a worker pool); the CLI's `mix`
 * and the desktop render queue both sit on it.
 *
 * ```ts
 * const renderer = createRenderer({ cacheDir, concurrency: 2 });
 * const result = await renderer.renderOutput(spec, { signal, onProgress: (p) => save(p.index, p.fraction) });
 * await renderer.close();
 * ```
 */
export function createRenderer(options: RendererOptions): Renderer {
  const pool = new FfmpegPool({
    ...(options.concurrency ? { concurrency: options.concurrency } : {}),
    ...(options.onCommand ? { onCommand: options.onCommand } : {}),
  });
  const cache = new NormaliseCache(options.cacheDir, (job, o) => pool.run(job, o));
  const batchSize = Math.max(1, options.assemblyBatch ?? DEFAULT_ASSEMBLY_BATCH);
  const listDir = join(options.cacheDir, 'lists');

  async function renderBatch(specs: readonly OutputSpec[], opts: BatchOptions = {}): Promise<BatchResult> {
    const { signal } = opts;
    if (signal?.aborted) throw new CancelledError();
    const outputs: OutputResult[] = [];
    const failed: { index: number; error: Error }[] = [];
    const cancelled: number[] = [];
    const fail = (index: number, error: Error) => {
      failed.push({ index, error });
      opts.onOutputFailed?.(index, error);
    };
    const ownSignal = new Map<Prepared, AbortSignal>();
    /** Stopped by its own signal, not the batch's (which rejects the whole batch instead). */
    const cancelledAlone = (item: Prepared) => !signal?.aborted && ownSignal.get(item)?.aborted === true;
    const cancel = (item: Prepared) => {
      if (cancelled.includes(item.index)) return;
      cancelled.push(item.index);
      opts.onOutputCancelled?.(item.index);
    };
    const report = (index: number, phase: OutputPhase, fraction: number) =>
      opts.onProgress?.({ index, phase, fraction: Math.max(0, Math.min(1, fraction)) });

    const items: Prepared[] = [];
    for (const [k, spec] of specs.entries()) {
      try {
        const item = prepare(spec);
        const own = opts.outputSignals?.[k];
        if (own) ownSignal.set(item, own);
        if (own?.aborted) cancel(item);
        else items.push(item);
      } catch (error) {
        const index = spec.combination.index;
        fail(
          index,
          error instanceof RenderFailedError
            ? error
            : new RenderFailedError(`Output ${index + 1} could not be planned: ${String(error)}`, { index }, error),
        );
      }
    }
    for (const item of items) report(item.index, 'queued', 0);
    /** The batch's signal and, if given, the output's own. */
    const signalOf = (item: Prepared): AbortSignal | undefined => anySignal([signal, ownSignal.get(item)]);

    // Chunks: the fast strategy assembles up to `batchSize` outputs with the same audio settings per process.
    const chunks: Prepared[][] = [];
    for (const item of items) {
      const last = chunks[chunks.length - 1];
      const sameKind =
        last &&
        item.spec.settings.strategy === 'fast' &&
        last[0]?.spec.settings.strategy === 'fast' &&
        last.length < batchSize &&
        audioKey(last[0]) === audioKey(item);
      if (sameKind) last.push(item);
      else chunks.push([item]);
    }

    const runChunk = async (chunk: Prepared[]) => {
      // 1. Normalised clips (shared and cached); each output waits for its own.
      const ready: { item: Prepared; paths: string[] }[] = [];
      await Promise.all(
        chunk.map(async (item) => {
          const fractions = item.clips.map(() => 0);
          const itemSignal = signalOf(item);
          report(item.index, 'normalising', 0);
          try {
            const paths = await Promise.all(
              item.clips.map((clip, k) =>
                cache
                  .get(clip, item.profile, {
                    ...(itemSignal ? { signal: itemSignal } : {}),
                    onProgress: (f) => {
                      fractions[k] = f;
                      report(
                        item.index,
                        'normalising',
                        (0.5 * fractions.reduce((a, b) => a + b, 0)) / fractions.length,
                      );
                    },
                  })
                  .then((path) => {
                    fractions[k] = 1;
                    return path;
                  }),
              ),
            );
            ready.push({ item, paths });
          } catch (error) {
            if (!(error instanceof CancelledError)) fail(item.index, failure(item, error));
            else if (cancelledAlone(item)) cancel(item);
            else throw error;
          }
        }),
      );
      // Keep the planned order inside the process.
      ready.sort((a, b) => chunk.indexOf(a.item) - chunk.indexOf(b.item));
      await assemble(ready);
    };

    /**
     * One FFmpeg process for these outputs. If it fails, each output is retried alone to find the culprit; if one
     * output is cancelled, the process is stopped and the others are assembled again without it.
     */
    const assemble = async (candidates: { item: Prepared; paths: string[] }[]): Promise<void> => {
      const ready = candidates.filter(({ item }) => {
        if (!cancelledAlone(item)) return true;
        cancel(item);
        return false;
      });
      if (ready.length === 0) return;
      await mkdir(listDir, { recursive: true });
      const lists: string[] = [];
      try {
        const jobs: AssemblyItem[] = [];
        for (const { item, paths } of ready) {
          await mkdir(item.spec.outDir, { recursive: true });
          const listFile = join(listDir, `${randomBytes(6).toString('hex')}.ffconcat`);
          await writeFile(listFile, concatList(paths));
          lists.push(listFile);
          jobs.push({ listFile, output: item.partPath, samples: item.samples, metadata: metadataFor(item) });
        }
        const first = ready[0]!.item;
        const settings = first.spec.settings;
        let args: string[];
        let durations: number[];
        if (settings.strategy === 'unique') {
          const variation = drawVariation(first.seed, settings.variations);
          const job = jobs[0]!;
          args = uniqueArgs({
            listFile: job.listFile,
            output: job.output,
            profile: first.profile,
            frames: first.frames,
            variation,
            audio: settings.audio,
            metadata: job.metadata,
          });
          durations = [variedFrames(first.frames, variation.speed) / first.profile.fps];
        } else {
          args = assembleArgs(jobs, settings.audio);
          durations = ready.map(({ item }) => item.frames / item.profile.fps);
        }
        for (const { item } of ready) report(item.index, 'rendering', 0.5);
        const processSignal = anySignal([signal, ...ready.map(({ item }) => ownSignal.get(item))]);
        try {
          await pool.run(
            {
              args,
              label: `Rendering output${ready.length > 1 ? 's' : ''} ${ready.map((r) => r.item.index + 1).join(', ')}`,
            },
            {
              ...(processSignal ? { signal: processSignal } : {}),
              onProgress: (p) => {
                for (const [k, { item }] of ready.entries()) {
                  report(item.index, 'rendering', 0.5 + 0.5 * Math.min(0.99, p.outTimeSeconds / (durations[k] ?? 1)));
                }
              },
            },
          );
        } catch (error) {
          await Promise.all(ready.map(({ item }) => discardPart(item.partPath)));
          if (error instanceof CancelledError) {
            if (!ready.some(({ item }) => cancelledAlone(item))) throw error;
            await assemble(ready);
            return;
          }
          if (ready.length > 1) {
            // Isolate: one bad output must not fail its batch mates.
            for (const one of ready) await assemble([one]);
            return;
          }
          fail(ready[0]!.item.index, failure(ready[0]!.item, error));
          return;
        }
        // A complete file is kept even if its output was cancelled in the last moment: the work is done.
        for (const [k, { item }] of ready.entries()) {
          await rename(item.partPath, item.finalPath);
          const result: OutputResult = {
            index: item.index,
            path: item.finalPath,
            clipIds: [...item.spec.combination.clipIds],
            sources: item.clips.map((c) => c.path),
            duration: durations[k] ?? 0,
            seed: item.seed,
          };
          outputs.push(result);
          report(item.index, 'done', 1);
          opts.onOutputDone?.(result);
        }
      } finally {
        await Promise.all(lists.map((l) => rm(l, { force: true })));
      }
    };

    const settled = await Promise.allSettled(chunks.map(runChunk));
    // Whatever stopped, no .part survives.
    await Promise.all(items.map((item) => discardPart(item.partPath)));
    if (signal?.aborted || settled.some((s) => s.status === 'rejected' && s.reason instanceof CancelledError)) {
      throw new CancelledError();
    }
    for (const s of settled) if (s.status === 'rejected') throw s.reason;
    outputs.sort((a, b) => a.index - b.index);
    failed.sort((a, b) => a.index - b.index);
    cancelled.sort((a, b) => a - b);
    return { outputs, failed, cancelled };
  }

  return {
    renderBatch,
    async renderOutput(spec: OutputSpec, opts: RenderOptions = {}): Promise<OutputResult> {
      const { outputs, failed } = await renderBatch([spec], opts);
      const done = outputs[0];
      if (done) return done;
      throw failed[0]?.error ?? new RenderFailedError(`Output ${spec.combination.index + 1} was not rendered.`, {});
    },
    normalise(source, settings, opts = {}) {
      return cache.get(source, resolveProfile(settings), opts.signal ? { signal: opts.signal } : {});
    },
    compute: (name, ...args) => pool.compute(name, ...args),
    setConcurrency: (concurrency) => pool.setConcurrency(concurrency),
    close: () => pool.destroy(),
  };
}
