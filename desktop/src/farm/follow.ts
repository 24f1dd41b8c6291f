import { readdir, rm, rmdir } from 'node:fs/promises';
import { join } from 'node:path';
import { AppError } from '@vmp/shared/errors';
import { Queue, QueueEvents, type RedisOptions } from 'bullmq';
import { Redis } from 'ioredis';
import { CancelledError } from '../engine/errors.ts';
import { redactUrl } from './connection.ts';
import { FARM_JOB_NAME, type FarmBatch } from './payload.ts';
import { STAGING_FOLDER } from './publish.ts';
import type { FarmRunTracker } from './run-tracker.ts';
import type { FarmSettings } from './settings.ts';

const FULL_POLL_MS = 5_000;
const IDLE_HINT_MS = 15_000;

export interface FollowContext {
  url: string;
  connection: RedisOptions;
  settings: FarmSettings;
  queue?: string;
  signal?: AbortSignal;
  log: (line: string) => void;
  runId: string;
  /** Signs each batch for the workers (farm/trust): what goes on the queue. */
  seal: (data: FarmBatch) => Promise<unknown>;
}

/**
 * Submits the batches and follows them to the end (or withdraws them on cancel): events say when to look, Redis's
 * job state is the truth (read every FULL_POLL_MS too, since events can be missed across a restart).
 */
export async function followBatches(
  batches: readonly { id: string; data: FarmBatch }[],
  tracker: FarmRunTracker,
  ctx: FollowContext,
): Promise<void> {
  const { signal, log } = ctx;
  const batchOf = new Map(batches.map((b) => [b.id, b]));
  await reachable(ctx.url, ctx.connection, ctx.settings.connectMs);
  const queueName = ctx.queue ?? ctx.settings.queue;
  const queue = new Queue(queueName, { connection: ctx.connection, prefix: ctx.settings.prefix });
  const events = new QueueEvents(queueName, { connection: ctx.connection, prefix: ctx.settings.prefix });
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
    const sealed = await Promise.all(batches.map((b) => ctx.seal(b.data)));
    await queue.addBulk(
      batches.map((b, k) => ({
        name: FARM_JOB_NAME,
        data: sealed[k],
        opts: {
          jobId: b.id,
          attempts: ctx.settings.attempts,
          backoff: { type: 'exponential', delay: ctx.settings.backoffMs },
          removeOnComplete: { age: 7 * 24 * 3600 },
          removeOnFail: { age: 7 * 24 * 3600 },
        },
      })),
    );
    log(`Queued ${batches.length} batch(es) on ${redactUrl(ctx.url)} (queue ${queueName}, run ${ctx.runId}).`);
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
        log(`No worker has started a batch yet: start "vmp worker --farm <url>" on the render machines (same queue).`);
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
