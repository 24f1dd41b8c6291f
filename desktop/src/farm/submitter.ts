import { randomBytes } from 'node:crypto';
import { readdir, rm, rmdir } from 'node:fs/promises';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { AppError, ValidationError } from '@vmp/shared/errors';
import { Queue, QueueEvents, type RedisOptions } from 'bullmq';
import { Redis } from 'ioredis';
import { CancelledError } from '../engine/errors.ts';
import { DEFAULT_ASSEMBLY_BATCH } from '../engine/render/renderer.ts';
import { finalPathOf } from '../engine/render/spec.ts';
import { strategyOf } from '../engine/render/strategy/index.ts';
import type { BatchOptions, OutputSpec, Renderer } from '../engine/render/types.ts';
import { farmConnection, redactUrl } from './connection.ts';
import { batchJobId, FARM_JOB_NAME, FARM_PAYLOAD_VERSION, type FarmBatch, workerName } from './payload.ts';
import { STAGING_FOLDER } from './publish.ts';
import { type FarmOutputResult, FarmRunTracker } from './run-tracker.ts';
import { farmSettings } from './settings.ts';
import { type FarmJobSigner, sealJob, unlicensedSigner } from './trust/envelope.ts';

export interface FarmRendererOptions {
  /** redis:// or rediss:// URL of the farm. */
  url: string;
  queue?: string;
  /** Outputs per BullMQ job; default: the renderer's assembly batch (fast), 1 (unique: a full encode each). */
  batchSize?: number;
  log?: (line: string) => void;
  env?: NodeJS.ProcessEnv;
  /**
   * Signs each job (farm/trust): asked at every submission, as the licence may change. Default: unlicensed
   * (workers put the watermark on every output).
   */
  signer?: () => FarmJobSigner | Promise<FarmJobSigner>;
}

/**
 * The engine's Renderer, with the rendering done by `vmp worker`s: `renderBatch` submits one BullMQ job per batch
 * of outputs and resolves when the farm has finished them all, calling `onProgress`, `onOutputDone` (once per
 * output, as it is published; credits commit there as for a local render) and `onOutputFailed` like the local
 * renderer. So `mix()` and a render queue use it unchanged; `workerOf(path)` says which worker made a file.
 */
export type FarmBatchOptions = Omit<BatchOptions, 'onOutputDone'> & {
  onOutputDone?: (result: FarmOutputResult) => void;
  /** A worker ("host:pid") took the batch of output `index` (again if another worker takes it over); final `path`. */
  onOutputWorker?: (index: number, worker: string, path: string) => void;
};

export interface FarmRenderer extends Renderer {
  renderBatch(
    specs: readonly OutputSpec[],
    options?: FarmBatchOptions,
  ): Promise<{ outputs: FarmOutputResult[]; failed: { index: number; error: Error }[]; cancelled: number[] }>;
  /** "host:pid" of the worker that made the output at `path` (in a batch this renderer submitted). */
  workerOf(path: string): string | undefined;
}

const FULL_POLL_MS = 5_000;
const IDLE_HINT_MS = 15_000;

/** Splits a list into batches of consecutive items. */
export function planBatches<T>(items: readonly T[], size: number): T[][] {
  const batches: T[][] = [];
  for (let at = 0; at < items.length; at += Math.max(1, size)) batches.push(items.slice(at, at + Math.max(1, size)));
  return batches;
}

/** Same batch: same folder, creation time and strategy (a job's staging folder, run mark and batch size). */
function batchKey(spec: OutputSpec, createdAt: string): string {
  return JSON.stringify([spec.outDir, createdAt, strategyOf(spec.settings).name]);
}

export function createFarmRenderer(options: FarmRendererOptions): FarmRenderer {
  const workers = new Map<string, string>();
  const env = options.env ?? process.env;
  const settings = farmSettings(env);
  // Checked now, so a bad URL fails before any work.
  const connection = farmConnection(options.url, env);
  const ownSigner = options.signer ? undefined : unlicensedSigner();
  const signer = async (): Promise<FarmJobSigner> => (options.signer ? options.signer() : ownSigner!);

  async function renderBatch(
    specs: readonly OutputSpec[],
    opts: FarmBatchOptions = {},
  ): Promise<{ outputs: FarmOutputResult[]; failed: { index: number; error: Error }[]; cancelled: number[] }> {
    const { signal } = opts;
    if (signal?.aborted) throw new CancelledError();
    const log = options.log ?? (() => undefined);
    const runId = `${Date.now().toString(36)}${randomBytes(4).toString('hex')}`;
    const submitter = workerName(hostname(), process.pid);
    const tracker = new FarmRunTracker(
      specs.map((spec) => {
        const byId = new Map(spec.sources.map((s) => [s.id, s.path]));
        return {
          combination: spec.combination,
          path: finalPathOf(spec),
          sources: spec.combination.clipIds.map((id) => byId.get(id) ?? id),
          seed: spec.settings.seed,
        };
      }),
      {
        ...(opts.onProgress ? { onProgress: opts.onProgress } : {}),
        onOutputDone: (result) => {
          workers.set(result.path, result.worker);
          opts.onOutputDone?.(result);
        },
        ...(opts.onOutputFailed ? { onOutputFailed: opts.onOutputFailed } : {}),
        ...(opts.onOutputWorker ? { onOutputWorker: opts.onOutputWorker } : {}),
      },
    );
    if (new Set(specs.map((s) => s.combination.index)).size !== specs.length) {
      throw new ValidationError('A farm batch needs distinct combination indexes (one render call per project).');
    }

    // Group, then cut into jobs of the strategy's batch size; each job carries its outputs' render specs as they are.
    const groups = new Map<string, OutputSpec[]>();
    const createdAt = new Date().toISOString();
    for (const given of specs) {
      const spec = { ...given, createdAt: given.createdAt ?? createdAt, sources: [...given.sources] };
      const key = batchKey(spec, spec.createdAt);
      groups.set(key, [...(groups.get(key) ?? []), spec]);
    }
    const batches: { id: string; data: FarmBatch }[] = [];
    for (const group of groups.values()) {
      const first = group[0]!;
      // A batch size set for the farm wins (a job may hold several unique outputs, each still its own process).
      const size =
        options.batchSize ?? settings.batchSize ?? strategyOf(first.settings).batchSize(DEFAULT_ASSEMBLY_BATCH);
      for (const part of planBatches(group, size)) {
        batches.push({
          id: batchJobId(runId, batches.length),
          data: {
            version: FARM_PAYLOAD_VERSION,
            runId,
            outDir: first.outDir,
            createdAt: first.createdAt!,
            specs: part.map((spec) => ({ ...spec, sources: [...spec.sources] })),
            submitter,
          },
        });
      }
    }
    if (batches.length > 0) {
      await run(batches, tracker, { ...(signal ? { signal } : {}), log, runId });
    }
    return tracker.results();
  }

  /** Submits the batches and follows them to the end (or withdraws them on cancel). */
  async function run(
    batches: { id: string; data: FarmBatch }[],
    tracker: FarmRunTracker,
    ctx: { signal?: AbortSignal; log: (line: string) => void; runId: string },
  ): Promise<void> {
    const { signal, log } = ctx;
    const batchOf = new Map(batches.map((b) => [b.id, b]));
    await reachable(options.url, connection, settings.connectMs);
    const queueName = options.queue ?? settings.queue;
    const queue = new Queue(queueName, { connection, prefix: settings.prefix });
    const events = new QueueEvents(queueName, { connection, prefix: settings.prefix });
    const quiet = () => undefined; // reconnects are retried for ever; the poll below notices what matters
    queue.on('error', quiet);
    events.on('error', quiet);
    const pending = new Set(batches.map((b) => b.id));
    const indicesOf = (id: string) => batchOf.get(id)!.data.specs.map((s) => s.combination.index);
    const onProgress = (jobId: string, data: unknown) => {
      if (pending.has(jobId)) tracker.progress(data, indicesOf(jobId));
    };

    let wake: () => void = () => undefined;
    let active = false;
    // Batches an event says finished: read at once. Every batch is read every FULL_POLL_MS anyway.
    const finished = new Set<string>();
    const onFinished = (jobId: string) => {
      if (!pending.has(jobId)) return;
      finished.add(jobId);
      wake();
    };
    events.on('progress', ({ jobId, data }) => {
      active = true;
      onProgress(jobId, data);
    });
    events.on('completed', ({ jobId }) => onFinished(jobId));
    events.on('failed', ({ jobId }) => onFinished(jobId));

    /** Reads each unfinished batch's state from Redis: the source of truth (events can be missed across a restart). */
    const poll = async (ids: string[]) => {
      for (const id of ids) {
        if (!pending.has(id)) continue;
        const job = await queue.getJob(id);
        if (!job) {
          pending.delete(id);
          tracker.batchLost(id, indicesOf(id));
          continue;
        }
        onProgress(id, job.progress);
        if (!job.finishedOn) continue;
        tracker.batchFinished(id, indicesOf(id), { returnvalue: job.returnvalue, failedReason: job.failedReason });
        pending.delete(id);
      }
    };

    try {
      await Promise.all([events.waitUntilReady(), queue.waitUntilReady()]);
      const signing = await signer();
      const sealed = await Promise.all(batches.map((b) => sealJob(b.data, signing)));
      await queue.addBulk(
        batches.map((b, k) => ({
          name: FARM_JOB_NAME,
          data: sealed[k],
          opts: {
            jobId: b.id,
            attempts: settings.attempts,
            backoff: { type: 'exponential', delay: settings.backoffMs },
            removeOnComplete: { age: 7 * 24 * 3600 },
            removeOnFail: { age: 7 * 24 * 3600 },
          },
        })),
      );
      log(`Queued ${batches.length} batch(es) on ${redactUrl(options.url)} (queue ${queueName}, run ${ctx.runId}).`);
      let lastFull = Date.now();
      const hintAt = Date.now() + IDLE_HINT_MS;
      while (pending.size > 0) {
        if (signal?.aborted) throw new CancelledError();
        await new Promise<void>((resolve) => {
          // Whichever comes first; the listener goes either way (one per poll piled up: defect 2 of #17).
          const stop = () => {
            clearTimeout(timer);
            signal?.removeEventListener('abort', stop);
            resolve();
          };
          const timer = setTimeout(stop, 1000);
          wake = stop;
          signal?.addEventListener('abort', stop, { once: true });
        });
        if (signal?.aborted) throw new CancelledError();
        const full = Date.now() - lastFull >= FULL_POLL_MS;
        if (full) lastFull = Date.now();
        const ids = full ? [...pending] : [...finished];
        finished.clear();
        await poll(ids);
        if (!active && tracker.done.size + tracker.failed.size === 0 && Date.now() >= hintAt) {
          active = true;
          log(
            `No worker has started a batch yet: start "vmp worker --farm <url>" on the render machines (same queue).`,
          );
        }
      }
    } catch (error) {
      if (error instanceof CancelledError) await withdraw(queue, [...pending], log);
      throw error;
    } finally {
      // A Redis that is away would keep close() waiting: give it a moment, then cut the connections.
      const closing = Promise.all([events.close(), queue.close()]).catch(() => undefined);
      await Promise.race([closing, new Promise((r) => setTimeout(r, 2000).unref())]);
      void events.disconnect().catch(() => undefined);
      void queue.disconnect().catch(() => undefined);
      for (const dir of new Set(batches.map((b) => b.data.outDir))) await removeStaging(dir, ctx.runId);
    }
  }

  return {
    renderBatch,
    workerOf: (path) => workers.get(path),
    async renderOutput(spec, opts = {}) {
      const { outputs, failed } = await renderBatch([spec], opts);
      if (outputs[0]) return outputs[0];
      throw failed[0]?.error ?? new ValidationError(`Output ${spec.combination.index + 1} was not rendered.`);
    },
    normalise() {
      return Promise.reject(
        new AppError('FARM_UNSUPPORTED', "Clips are normalised by the farm's workers, as part of their batches."),
      );
    },
    setConcurrency: () => undefined,
    close: async () => undefined,
  };
}

/** One connection attempt, no retries, before anything is queued: a wrong URL or a Redis that is down fails now. */
async function reachable(url: string, connection: RedisOptions, ms: number): Promise<void> {
  const client = new Redis({ ...connection, lazyConnect: true, retryStrategy: () => null, connectTimeout: ms });
  let lastError = '';
  client.on('error', (error: Error) => {
    lastError = error.message;
  });
  try {
    await client.connect();
    await client.ping();
  } catch (error) {
    const why = lastError || (error as Error).message;
    throw new AppError(
      'FARM_UNREACHABLE',
      `Cannot reach the farm's Redis at ${redactUrl(url)} (${why}): check the --farm URL and that Redis is running.`,
      { status: 503, details: { url: redactUrl(url), reason: why } },
    );
  } finally {
    client.disconnect();
  }
}

/**
 * Staging folders of this run that workers left (a killed worker's FFmpeg may still write into its own; removing
 * the folder takes the file with it). Other runs' folders are left alone.
 */
async function removeStaging(outDir: string, runId: string): Promise<void> {
  const dir = join(outDir, STAGING_FOLDER);
  const names = await readdir(dir).catch(() => [] as string[]);
  for (const name of names) {
    if (name.startsWith(`${runId}-`))
      await rm(join(dir, name), { recursive: true, force: true }).catch(() => undefined);
  }
  await rmdir(dir).catch(() => undefined);
}

/** On cancel: removes this run's batches no worker has started; started ones finish (their outputs stay). */
async function withdraw(queue: Queue, ids: string[], log: (line: string) => void): Promise<void> {
  let removed = 0;
  let running = 0;
  for (const id of ids) {
    const job = await queue.getJob(id).catch(() => undefined);
    if (!job) continue;
    const state = await job.getState().catch(() => 'unknown');
    if (state === 'waiting' || state === 'delayed' || state === 'prioritized') {
      await job.remove().then(
        () => removed++,
        () => running++,
      );
    } else if (state === 'active') running++;
  }
  log(`Withdrew ${removed} queued batch(es)${running ? `; ${running} already on a worker will finish there` : ''}.`);
}
