import { randomBytes } from 'node:crypto';
import { mkdir, rename, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { CancelledError } from '../errors.ts';
import { outputAudio } from '../loudness/music.ts';
import { FfmpegPool } from '../pool/pool.ts';
import { type Profile, resolveProfile } from '../profiles/profile.ts';
import { type ClipText, clipTextFor } from '../text/overlay.ts';
import { type AssemblyItem, assembleArgs, concatList, type OutputMetadata } from './assemble-args.ts';
import { NormaliseCache } from './cache.ts';
import { NormaliseFailedError, RenderFailedError } from './errors.ts';
import { normaliseFileName, outputFileName, outputSeed, shortClipName } from './naming.ts';
import { normalisePlan } from './normalise-args.ts';
import { discardPart, partPathOf } from './part-file.ts';
import { prepareTextFilter } from './text-overlay.ts';
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
  /** Text over each clip (captions, headline, watermark); undefined: none. */
  texts: (ClipText | undefined)[];
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
        texts: (combination.headlines ?? []).filter((h): h is string => !!h),
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
    texts: clips.map((clip, k) => clipTextFor(clip.captions, combination.headlines?.[k], settings)),
    finalPath,
    partPath: partPathOf(finalPath),
    seed,
    frames,
    samples,
    createdAt: spec.createdAt ?? new Date(),
  };
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
    const fail = (index: number, error: Error) => {
      failed.push({ index, error });
      opts.onOutputFailed?.(index, error);
    };
    const report = (index: number, phase: OutputPhase, fraction: number) =>
      opts.onProgress?.({ index, phase, fraction: Math.max(0, Math.min(1, fraction)) });

    const items: Prepared[] = [];
    for (const spec of specs) {
      try {
        items.push(prepare(spec));
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
          report(item.index, 'normalising', 0);
          try {
            const paths = await Promise.all(
              item.clips.map((clip, k) =>
                cache
                  .get(clip, item.profile, {
                    ...(signal ? { signal } : {}),
                    // fast: text is burned into the clip's intermediate; unique draws it in its one encode.
                    ...(item.texts[k] && item.spec.settings.strategy === 'fast' ? { text: item.texts[k] } : {}),
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
            else throw error;
          }
        }),
      );
      // Keep the planned order inside the process.
      ready.sort((a, b) => chunk.indexOf(a.item) - chunk.indexOf(b.item));
      if (ready.length === 0) return;
      await assemble(ready);
    };

    /** One FFmpeg process for these outputs; if it fails, each output is retried alone to find the culprit. */
    const assemble = async (ready: { item: Prepared; paths: string[] }[]): Promise<void> => {
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
        const audio = await outputAudio(cache.loudness, settings, signal);
        let args: string[];
        let durations: number[];
        let env: Record<string, string> | undefined;
        if (settings.strategy === 'unique') {
          const variation = drawVariation(first.seed, settings.variations);
          const job = jobs[0]!;
          const overlay = await prepareTextFilter(
            options.cacheDir,
            first.profile,
            first.clips.map((clip, k) => ({
              text: first.texts[k],
              duration: normalisePlan(clip.info, first.profile).duration,
            })),
            variation.speed,
          );
          env = overlay?.env;
          args = uniqueArgs({
            ...(overlay ? { textFilter: overlay.filter } : {}),
            listFile: job.listFile,
            output: job.output,
            profile: first.profile,
            frames: first.frames,
            variation,
            audio,
            metadata: job.metadata,
          });
          durations = [variedFrames(first.frames, variation.speed) / first.profile.fps];
        } else {
          args = assembleArgs(jobs, audio);
          durations = ready.map(({ item }) => item.frames / item.profile.fps);
        }
        for (const { item } of ready) report(item.index, 'rendering', 0.5);
        try {
          await pool.run(
            {
              args,
              label: `Rendering output${ready.length > 1 ? 's' : ''} ${ready.map((r) => r.item.index + 1).join(', ')}`,
              ...(env ? { env } : {}),
            },
            {
              ...(signal ? { signal } : {}),
              onProgress: (p) => {
                for (const [k, { item }] of ready.entries()) {
                  report(item.index, 'rendering', 0.5 + 0.5 * Math.min(0.99, p.outTimeSeconds / (durations[k] ?? 1)));
                }
              },
            },
          );
        } catch (error) {
          await Promise.all(ready.map(({ item }) => discardPart(item.partPath)));
          if (error instanceof CancelledError) throw error;
          if (ready.length > 1) {
            // Isolate: one bad output must not fail its batch mates.
            for (const one of ready) await assemble([one]);
            return;
          }
          fail(ready[0]!.item.index, failure(ready[0]!.item, error));
          return;
        }
        for (const [k, { item }] of ready.entries()) {
          await rename(item.partPath, item.finalPath);
          const result: OutputResult = {
            index: item.index,
            path: item.finalPath,
            clipIds: [...item.spec.combination.clipIds],
            sources: item.clips.map((c) => c.path),
            duration: durations[k] ?? 0,
            seed: item.seed,
            ...(item.spec.combination.headlines ? { headlines: [...item.spec.combination.headlines] } : {}),
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
    return { outputs, failed };
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
    close: () => pool.destroy(),
  };
}
