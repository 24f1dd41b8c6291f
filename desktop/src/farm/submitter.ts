import { randomBytes } from 'node:crypto';
import { mkdir, readdir, rm, rmdir } from 'node:fs/promises';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { Queue, QueueEvents } from 'bullmq';
import { CancelledError } from '../engine/errors.ts';
import { type MixOptions, type MixOutput, type MixResult, planFileNames } from '../engine/mix.ts';
import { writeManifest } from '../engine/render/manifest.ts';
import { DEFAULT_ASSEMBLY_BATCH } from '../engine/render/renderer.ts';
import { farmConnection, redactUrl } from './connection.ts';
import { batchJobId, FARM_JOB_NAME, FARM_PAYLOAD_VERSION, type FarmBatch, workerName } from './payload.ts';
import { STAGING_FOLDER } from './publish.ts';
import { type FarmOutputResult, FarmRunTracker } from './run-tracker.ts';
import { farmSettings } from './settings.ts';

/**
 * The local mix's options (so `vmp mix` passes the same object either way; cacheDir, concurrency, renderer and
 * onCommand belong to the workers and are ignored here) plus the farm's.
 */
export type FarmMixOptions = MixOptions & {
  /** redis:// or rediss:// URL of the farm. */
  url: string;
  queue?: string;
  /** Outputs per BullMQ job; default: the renderer's assembly batch (fast), 1 (unique: a full encode each). */
  batchSize?: number;
  /** Each output as the farm finishes it, once (credits commit here, as for a local render). */
  onOutputDone?: (result: FarmOutputResult) => void;
  onOutputFailed?: (index: number, error: Error) => void;
  log?: (line: string) => void;
  env?: NodeJS.ProcessEnv;
};

export interface FarmMixResult extends MixResult {
  outputs: (MixOutput & { worker: string })[];
}

const FULL_POLL_MS = 5_000;
const IDLE_HINT_MS = 15_000;

/** Whole seconds: MP4 stores creation_time in seconds, and retries compare it to recognise this run's files. */
/** `farmMix` with the farm's settings bound: called exactly like the engine's `mix`. */
export function farmMixer(
  farm: Omit<FarmMixOptions, keyof MixOptions>,
): (options: MixOptions & Partial<FarmMixOptions>) => Promise<FarmMixResult> {
  return (options) => farmMix({ ...options, ...farm });
}

function runCreatedAt(now = new Date()): Date {
  return new Date(Math.floor(now.getTime() / 1000) * 1000);
}

/** Splits the plan into batches of consecutive outputs. */
export function planBatches<T>(items: readonly T[], size: number): T[][] {
  const batches: T[][] = [];
  for (let at = 0; at < items.length; at += Math.max(1, size)) batches.push(items.slice(at, at + Math.max(1, size)));
  return batches;
}

/**
 * `vmp mix --farm`: the same plan and file names as a local mix, rendered by `vmp worker`s through BullMQ.
 * One job per batch; progress and ETA across the farm; each output reported once through `onOutputDone` as it is
 * published; manifest written here at the end. Rejects only on cancel (queued batches are withdrawn).
 */
export async function farmMix(options: FarmMixOptions): Promise<FarmMixResult> {
  const { settings, combinations } = options;
  const env = options.env ?? process.env;
  const timings = farmSettings(env);
  const log = options.log ?? (() => undefined);
  await mkdir(options.outDir, { recursive: true });
  const names = planFileNames(options.projectName, combinations, options.sources, settings);
  const createdAt = runCreatedAt();
  const runId = `${Date.now().toString(36)}${randomBytes(4).toString('hex')}`;
  const submitter = workerName(hostname(), process.pid);
  const byId = new Map(options.sources.map((s) => [s.id, s]));
  const planned = combinations.map((combination, k) => ({ combination, fileName: names[k]! }));
  const size = options.batchSize ?? timings.batchSize ?? (settings.strategy === 'unique' ? 1 : DEFAULT_ASSEMBLY_BATCH);
  const batches = planBatches(planned, size).map((outputs, b) => {
    const used = new Set(outputs.flatMap((o) => o.combination.clipIds));
    const data: FarmBatch = {
      version: FARM_PAYLOAD_VERSION,
      runId,
      projectName: options.projectName,
      outDir: options.outDir,
      createdAt: createdAt.toISOString(),
      settings,
      sources: [...used].map((id) => byId.get(id)!).filter(Boolean),
      outputs,
      submitter,
    };
    return { id: batchJobId(runId, b), data };
  });
  const batchOf = new Map(batches.map((b) => [b.id, b]));

  const connection = farmConnection(options.url, env);
  const queueName = options.queue ?? timings.queue;
  const queue = new Queue(queueName, { connection, prefix: timings.prefix });
  const events = new QueueEvents(queueName, { connection, prefix: timings.prefix });
  const quiet = () => undefined; // reconnects are retried for ever; the poll below notices what matters
  queue.on('error', quiet);
  events.on('error', quiet);

  const pending = new Set(batches.map((b) => b.id));
  const tracker = new FarmRunTracker(
    { outDir: options.outDir, seed: settings.seed, outputs: planned, sources: byId },
    {
      ...(options.onProgress ? { onProgress: options.onProgress } : {}),
      ...(options.onOutputDone ? { onOutputDone: options.onOutputDone } : {}),
      ...(options.onOutputFailed ? { onOutputFailed: options.onOutputFailed } : {}),
    },
  );
  const indicesOf = (id: string) => batchOf.get(id)!.data.outputs.map((o) => o.combination.index);
  const onProgress = (jobId: string, data: unknown) => {
    if (pending.has(jobId)) tracker.progress(data);
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
    await events.waitUntilReady();
    await queue.addBulk(
      batches.map((b) => ({
        name: FARM_JOB_NAME,
        data: b.data,
        opts: {
          jobId: b.id,
          attempts: timings.attempts,
          backoff: { type: 'exponential', delay: timings.backoffMs },
          removeOnComplete: { age: 7 * 24 * 3600 },
          removeOnFail: { age: 7 * 24 * 3600 },
        },
      })),
    );
    log(
      `Queued ${batches.length} batch(es) of up to ${size} output(s) on ${redactUrl(options.url)} (queue ${queueName}, run ${runId}).`,
    );
    const { signal } = options;
    let lastFull = Date.now();
    const hintAt = Date.now() + IDLE_HINT_MS;
    while (pending.size > 0) {
      if (signal?.aborted) throw new CancelledError();
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, 1000);
        const stop = () => {
          clearTimeout(timer);
          signal?.removeEventListener('abort', stop);
          resolve();
        };
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
        log(`No worker has started a batch yet: start "vmp worker --farm <url>" on the render machines (same queue).`);
      }
    }
  } catch (error) {
    if (error instanceof CancelledError) await withdraw(queue, [...pending], log);
    throw error;
  } finally {
    await events.close().catch(() => undefined);
    await queue.close().catch(() => undefined);
    await removeStaging(options.outDir, runId);
  }

  const { outputs, failed: failures } = tracker.results();
  const manifest = await writeManifest(options.outDir, {
    projectName: options.projectName,
    createdAt,
    settings,
    outputs,
    failed: failures,
  });
  return {
    outputs: outputs.map(({ index, path, clipIds, sources, duration, worker }) => ({
      index,
      path,
      clipIds,
      sources,
      duration,
      worker,
    })),
    failed: failures,
    manifest,
  };
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
