import { randomBytes } from 'node:crypto';
import { setMaxListeners } from 'node:events';
import { hostname } from 'node:os';
import { basename, join } from 'node:path';
import type { Jwks } from '@vmp/shared/http';
import { type Job, UnrecoverableError, WaitingError, Worker } from 'bullmq';
import { CancelledError } from '../engine/errors.ts';
import { outputSeed } from '../engine/render/naming.ts';
import { createRenderer } from '../engine/render/renderer.ts';
import type { OutputResult, OutputSpec, Renderer } from '../engine/render/types.ts';
import type { ObjectStorage } from '../storage/types.ts';
import { type LocalBatch, localiseBatch } from './batch-paths.ts';
import { farmConnection, redactUrl } from './connection.ts';
import type { PathMapping } from './paths.ts';
import { type FarmBatchResult, type FarmOutputDone, FarmProgress, workerName } from './payload.ts';
import { type OutputPlace, sharedFolderPlace } from './place.ts';
import { stagingDir } from './publish.ts';
import { bucketPlace } from './remote/bucket-place.ts';
import { FarmStorageMismatchError } from './remote/errors.ts';
import { localiseRemoteBatch } from './remote/fetch.ts';
import { runOutputsPrefix } from './remote/keys.ts';
import { intermediatesOf, pullIntermediates, pushIntermediates } from './remote/normalise-cache.ts';
import { farmSettings } from './settings.ts';
import { acceptFarmJob } from './trust/accept.ts';
import { FarmJobRefusedError } from './trust/errors.ts';
import { BUILT_IN_LEASE_KEYS } from './trust/keys.ts';
import { createSourceVerifier, type SourceVerifier } from './trust/sources.ts';

export interface FarmWorkerOptions {
  url: string;
  queue?: string;
  /** Batches at once; also the FFmpeg processes at once. */
  concurrency: number;
  pathMap: readonly PathMapping[];
  /** Shared roots (resolved): every path a job names must lie under one. None: bucket jobs only (`storage`). */
  roots: readonly string[];
  cacheDir: string;
  /**
   * The farm's bucket (farm/remote): jobs submitted with --storage read their clips from it and put their outputs
   * in it; clips are kept in `cacheDir`/farm-clips, the normalise cache is shared through it.
   */
  storage?: ObjectStorage;
  log: (line: string) => void;
  env?: NodeJS.ProcessEnv;
  /** Licensing-server keys leases are checked with (farm/trust/keys.ts): decides who renders without watermark. */
  trustedKeys?: Jwks;
}

export interface FarmWorker {
  readonly name: string;
  /** Takes no new batch, finishes the current ones, disconnects. */
  close(): Promise<void>;
  /** Stops the current batches (their finished outputs stay) and puts them back in the queue for another worker. */
  handBack(): Promise<void>;
}

const PROGRESS_EVERY_MS = 500;

/** Runs one batch job: skip what this run already made, render the rest into a staging folder, publish each. */
async function processBatch(
  job: Job,
  token: string | undefined,
  signal: AbortSignal,
  context: {
    renderer: Renderer;
    options: FarmWorkerOptions;
    name: string;
    handingBack: AbortSignal;
    sources: SourceVerifier;
  },
): Promise<FarmBatchResult> {
  const { renderer, options, name } = context;
  let batch: Awaited<ReturnType<typeof acceptFarmJob>>['batch'];
  let local: LocalBatch;
  let place: OutputPlace;
  try {
    // Signature, strict schema and licence first; then paths, then the clips' own hashes: nothing is written before.
    const accepted = await acceptFarmJob(job.data, options.trustedKeys ?? BUILT_IN_LEASE_KEYS);
    batch = accepted.batch;
    const { trust } = accepted;
    options.log(
      trust.licensed
        ? `${name}: job ${job.id} signed by licensed machine ${trust.machine} (licence ${trust.licence})`
        : `${name}: job ${job.id} unlicensed (${trust.why}): its outputs carry the watermark`,
    );
    if (batch.storage || options.roots.length === 0) {
      if (!options.storage) {
        throw new FarmStorageMismatchError(
          `Job ${job.id} keeps its clips in ${batch.storage?.url}; worker ${name} has no --storage. Start it with --storage ${batch.storage?.url}.`,
        );
      }
      local = await localiseRemoteBatch(batch, {
        storage: options.storage,
        clipDir: join(options.cacheDir, 'farm-clips'),
        outDir: join(options.cacheDir, 'farm-out', `${job.id ?? 'job'}-${randomBytes(4).toString('hex')}`),
        worker: name,
      });
      place = bucketPlace(local, options.storage, batch.runId);
    } else {
      local = await localiseBatch(batch, { pathMap: options.pathMap, roots: options.roots, worker: name });
      place = sharedFolderPlace(local, options.roots);
    }
    const verified = new Map<number, OutputSpec>();
    for (const [index, spec] of local.specs) {
      verified.set(index, { ...spec, sources: await context.sources.verify(spec.sources, signal) });
    }
    local = { ...local, specs: verified };
  } catch (error) {
    if (error instanceof FarmJobRefusedError) throw new UnrecoverableError(`Job ${job.id}: ${error.message}`);
    throw error;
  }

  // Outputs an earlier attempt finished and announced (job progress survives the attempt).
  const previous = FarmProgress.safeParse(job.progress);
  const earlier = new Map((previous.success ? previous.data.done : []).map((d) => [d.index, d]));
  // Names this worker at once, before checking what is already made: the app shows "Rendering on host:pid".
  const taken: FarmProgress = { worker: name, fractions: {}, done: [...earlier.values()] };
  void job.updateProgress(taken).catch(() => undefined);
  const done = new Map<number, FarmOutputDone>();
  const fractions: Record<string, number> = {};
  let lastSent = 0;
  const sendProgress = (force: boolean): Promise<void> => {
    const now = Date.now();
    if (!force && now - lastSent < PROGRESS_EVERY_MS) return Promise.resolve();
    lastSent = now;
    const progress: FarmProgress = { worker: name, fractions: { ...fractions }, done: [...done.values()] };
    return job.updateProgress(progress).catch(() => undefined);
  };

  const mark = (index: number) => ({ createdAt: batch.createdAt, index });
  const todo: OutputSpec[] = [];
  const staging = stagingDir(local.outDir, job.id ?? 'job', name);
  for (const spec of local.specs.values()) {
    const { index } = spec.combination;
    const final = local.finals.get(index)!;
    const madeSeconds = await place.finished(index, mark(index));
    if (madeSeconds !== null) {
      // Who made it, if that attempt said so before it stopped.
      const before = earlier.get(index);
      done.set(
        index,
        before ?? { index, duration: madeSeconds, seed: outputSeed(spec.settings.seed, index), worker: name },
      );
      fractions[index] = 1;
      continue;
    }
    // The spec as sent, rendered into this attempt's staging folder, then published to its final path.
    todo.push({ ...spec, outDir: staging, fileName: basename(final) });
  }
  options.log(
    `${name}: job ${job.id} (attempt ${job.attemptsMade + 1}): rendering ${todo.length} output(s)` +
      `${done.size ? `, ${done.size} already made` : ''} into ${batch.storage ? `${options.storage!.url}/${runOutputsPrefix(batch.runId)}` : local.outDir}`,
  );
  void sendProgress(true);

  let publishing = Promise.resolve();
  const publishErrors: { index: number; error: Error }[] = [];
  const onOutputDone = (result: OutputResult) => {
    publishing = publishing.then(async () => {
      const final = place.where(result.index);
      try {
        const outcome = await place.publish(result.path, result.index, mark(result.index));
        done.set(result.index, { index: result.index, duration: result.duration, seed: result.seed, worker: name });
        fractions[result.index] = 1;
        // Recorded in Redis before anything else happens, so a retry can say who made it.
        await sendProgress(true);
        options.log(`${name}: ${outcome === 'published' ? 'published' : 'already there, kept'} ${final}`);
      } catch (error) {
        publishErrors.push({ index: result.index, error: error as Error });
      }
    });
  };

  let failed: { index: number; error: Error }[] = [];
  // Bucket jobs: intermediates another worker made are fetched, the ones made here shared afterwards.
  const intermediates = options.storage && batch.storage && todo.length > 0 ? intermediatesOf(todo) : [];
  const toShare =
    intermediates.length > 0
      ? await pullIntermediates(options.storage!, options.cacheDir, intermediates, (line) =>
          options.log(`${name}: ${line}`),
        )
      : [];
  if (todo.length > 0) {
    await place.makeStaging(staging);
    try {
      const result = await renderer.renderBatch(todo, {
        signal,
        onOutputDone,
        onProgress: (p) => {
          if (p.phase === 'done') return; // counted once published
          fractions[p.index] = p.fraction * 0.99;
          // Not awaited: a Redis outage must not stall the render; BullMQ queues the command until it reconnects.
          void sendProgress(false);
        },
      });
      failed = result.failed;
    } catch (error) {
      await publishing;
      if (error instanceof CancelledError && context.handingBack.aborted && token) {
        // Handed back: finished outputs are published; the rest goes back to the queue, attempt not counted.
        await job.moveToWait(token);
        throw new WaitingError();
      }
      throw error;
    } finally {
      await publishing;
      await place.cleanup(staging);
    }
    if (toShare.length > 0) {
      const shared = await pushIntermediates(options.storage!, options.cacheDir, toShare).catch((error: Error) => {
        options.log(`${name}: could not share normalised clips in ${options.storage!.url}: ${error.message}`);
        return 0;
      });
      if (shared) options.log(`${name}: shared ${shared} normalised clip(s) in ${options.storage!.url}/cache/`);
    }
  } else if (batch.storage) {
    await place.cleanup(staging);
  }
  failed = [...failed, ...publishErrors];
  await sendProgress(true);

  const attempts = job.opts.attempts ?? 1;
  if (failed.length > 0 && job.attemptsMade + 1 < attempts) {
    // Retried with backoff; what is done stays done and is skipped next time.
    throw new Error(failed.map((f) => `output ${f.index + 1}: ${f.error.message}`).join('; '));
  }
  return {
    worker: name,
    outputs: [...done.values()].sort((a, b) => a.index - b.index),
    failed: failed.map((f) => ({
      index: f.index,
      code: (f.error as { code?: string }).code ?? 'RENDER_FAILED',
      message: f.error.message,
    })),
  };
}

/** Starts a `vmp worker`: takes render batches from the farm queue until closed. */
export async function startFarmWorker(options: FarmWorkerOptions): Promise<FarmWorker> {
  const env = options.env ?? process.env;
  const name = workerName(hostname(), process.pid);
  const timings = farmSettings(env);
  const renderer = createRenderer({ cacheDir: options.cacheDir, concurrency: options.concurrency });
  const handBack = new AbortController();
  const sources = createSourceVerifier();
  const worker = new Worker(
    options.queue ?? timings.queue,
    (job, token, signal) => {
      const both = signal ? AbortSignal.any([signal, handBack.signal]) : handBack.signal;
      // Every FFmpeg run of the batch listens to it.
      setMaxListeners(0, both);
      return processBatch(job, token, both, { renderer, options, name, handingBack: handBack.signal, sources });
    },
    {
      connection: farmConnection(options.url, env),
      prefix: timings.prefix,
      name,
      concurrency: options.concurrency,
      lockDuration: timings.lockMs,
      stalledInterval: timings.stalledMs,
      // A batch whose worker died is put back this many times before it counts as failed.
      maxStalledCount: timings.maxStalled,
      autorun: false,
    },
  );
  worker.on('failed', (job, error) => options.log(`${name}: job ${job?.id ?? '?'} failed: ${error.message}`));
  worker.on('stalled', (jobId) => options.log(`${name}: job ${jobId} stalled (its worker stopped); queued again`));
  let lastError = '';
  worker.on('error', (error) => {
    // Connection errors repeat every retry while Redis is away: say it once per distinct message.
    if (error.message !== lastError) options.log(`${name}: ${error.message}`);
    lastError = error.message;
  });
  worker.on('ready', () => {
    lastError = '';
  });
  void worker.run();
  await worker.waitUntilReady();
  options.log(
    `${name}: waiting for render batches on ${redactUrl(options.url)} (queue ${options.queue ?? timings.queue}, ` +
      `concurrency ${options.concurrency}${options.roots.length ? `, roots ${options.roots.join(', ')}` : ''}` +
      `${options.storage ? `, storage ${options.storage.url}` : ''})`,
  );
  let closing: Promise<void> | undefined;
  const close = () => {
    closing ??= worker.close().finally(() => renderer.close());
    return closing;
  };
  return {
    name,
    close,
    async handBack() {
      handBack.abort();
      await close();
    },
  };
}
