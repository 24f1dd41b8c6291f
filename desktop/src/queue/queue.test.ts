import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { mkdir, rename, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { RenderSettings } from '@vmp/shared';
import { AppError } from '@vmp/shared/errors';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { type Deferred, deferred, EventLog } from '../../test/helpers/events.ts';
import { CancelledError } from '../engine/errors.ts';
import { RenderFailedError } from '../engine/render/errors.ts';
import type { BatchOptions, OutputSpec, RenderBatchFn } from '../engine/render/types.ts';
import { Store } from '../store/store.ts';
import { type QueueRenderer, RenderQueue } from './queue.ts';

type JobEvent = Extract<import('@vmp/shared/api').ApiEvent, { type: 'job.updated' }>;

const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

/**
 * A real, tiny batch renderer with the engine's contract (renderBatch): per output it writes `<name>.part`, waits for
 * its gate (or an abort: its own signal or the batch's), then renames the file into place. `failures[index]` makes
 * the first N attempts of an output fail. Counts batches in flight (the queue's concurrency).
 */
function tinyRenderer(options: { gated?: boolean; failures?: Record<number, number> } = {}) {
  const gates = new Map<number, Deferred>();
  const calls: number[] = [];
  const batches: number[][] = [];
  const concurrencies: number[] = [];
  let active = 0;
  let maxActive = 0;
  const gate = (index: number) => {
    let g = gates.get(index);
    if (!g) {
      g = deferred();
      gates.set(index, g);
    }
    return g;
  };
  const started = new EventLog();
  const renderOne = async (spec: OutputSpec, signals: (AbortSignal | undefined)[], opts: BatchOptions) => {
    const index = spec.combination.index;
    calls.push(index);
    const final = join(spec.outDir, spec.fileName!);
    const part = `${final}.part`;
    try {
      await mkdir(spec.outDir, { recursive: true });
      await writeFile(part, 'partial');
      opts.onProgress?.({ index, phase: 'rendering', fraction: 0.5 });
      started.push({ type: 'notice', level: 'info', message: String(index) });
      const remaining = options.failures?.[index] ?? 0;
      if (remaining > 0) {
        options.failures![index] = remaining - 1;
        throw new RenderFailedError(`Output ${index} broke on purpose`, { index });
      }
      if (options.gated) {
        await new Promise<void>((resolve, reject) => {
          const onAbort = () => reject(new CancelledError());
          for (const signal of signals) {
            if (signal?.aborted) onAbort();
            signal?.addEventListener('abort', onAbort, { once: true });
          }
          gate(index).promise.then(resolve);
        });
      }
      await writeFile(part, `output ${index}`);
      await rename(part, final);
      opts.onOutputDone?.({ index, path: final, clipIds: spec.combination.clipIds, sources: [], duration: 1, seed: 0 });
      return { kind: 'done' as const, index };
    } catch (error) {
      await rm(part, { force: true });
      if (!(error instanceof CancelledError)) {
        opts.onOutputFailed?.(index, error as Error);
        return { kind: 'failed' as const, index };
      }
      if (opts.signal?.aborted) throw error;
      opts.onOutputCancelled?.(index);
      return { kind: 'cancelled' as const, index };
    }
  };
  const renderBatch: RenderBatchFn = async (specs, opts = {}) => {
    active++;
    maxActive = Math.max(maxActive, active);
    batches.push(specs.map((s) => s.combination.index));
    try {
      const results = await Promise.all(
        specs.map((spec, k) => renderOne(spec, [opts.signal, opts.outputSignals?.[k]], opts)),
      );
      return {
        outputs: [],
        failed: results.filter((r) => r.kind === 'failed').map((r) => ({ index: r.index, error: new Error() })),
        cancelled: results.filter((r) => r.kind === 'cancelled').map((r) => r.index),
      };
    } finally {
      active--;
    }
  };
  return {
    renderer: { renderBatch, setConcurrency: (n: number) => concurrencies.push(n) } satisfies QueueRenderer,
    calls,
    batches,
    concurrencies,
    release: (index: number) => gate(index).resolve(),
    started: (index: number) => started.some((e) => e.type === 'notice' && e.message === String(index)),
    get maxActive() {
      return maxActive;
    },
  };
}

function setup(count: number) {
  const dataDir = mkdtempSync(join(tmpdir(), 'vmp-queue-'));
  dirs.push(dataDir);
  const store = Store.open(dataDir);
  const project = store.projects.create({
    name: 'Queue',
    mode: 'auto',
    outputDir: join(dataDir, 'out'),
    settings: RenderSettings.parse({}),
  });
  const outDir = join(dataDir, 'out', 'job');
  const jobId = store.jobs.create({
    projectId: project.id,
    settings: RenderSettings.parse({}),
    seed: 1,
    plan: { projectName: 'Queue', sources: [], creditCost: count },
    outputDir: outDir,
    outputs: Array.from({ length: count }, (_, index) => ({
      index,
      clipIds: ['c'],
      path: join(outDir, `out-${index}.mp4`),
      duration: 1,
    })),
  });
  return { dataDir, store, jobId, outDir };
}

function makeQueue(store: Store, renderer: QueueRenderer, log: EventLog, concurrency = 2, batchSize = 1) {
  return new RenderQueue({ store, renderer, emit: log.push, concurrency, batchSize, backoffBaseMs: 1 });
}

const jobDone = (jobId: string) => (e: import('@vmp/shared/api').ApiEvent) =>
  e.type === 'job.updated' && e.job.id === jobId && ['completed', 'failed', 'cancelled'].includes(e.job.status);

describe('RenderQueue', () => {
  it('renders every output within the concurrency limit and reports the job completed', async () => {
    const { store, jobId, outDir } = setup(5);
    const log = new EventLog();
    const r = tinyRenderer();
    const queue = makeQueue(store, r.renderer, log, 2);
    queue.start();
    queue.jobAdded(jobId);
    const done = await log.some<JobEvent>(jobDone(jobId));
    expect(done.job).toMatchObject({ status: 'completed', completed: 5, progress: 1 });
    await queue.whenIdle();
    expect(r.maxActive).toBeLessThanOrEqual(2);
    expect(r.calls.sort()).toEqual([0, 1, 2, 3, 4]);
    expect(readdirSync(outDir).sort()).toEqual([0, 1, 2, 3, 4].map((i) => `out-${i}.mp4`));
    expect(store.outputs.withStatus('completed').map((o) => o.attempts)).toEqual([1, 1, 1, 1, 1]);
    expect(log.events.some((e) => e.type === 'output.updated' && e.output.progress === 0.5)).toBe(true);
    await queue.whenIdle();
    store.close();
  });

  it('retries a failing output with backoff and gives up after three attempts', async () => {
    const { store, jobId } = setup(2);
    const log = new EventLog();
    const r = tinyRenderer({ failures: { 0: 2, 1: 6 } });
    const queue = makeQueue(store, r.renderer, log, 1);
    queue.start();
    queue.jobAdded(jobId);
    const done = await log.some<JobEvent>(jobDone(jobId));
    expect(done.job).toMatchObject({ status: 'failed', completed: 1, failed: 1 });
    const [first, second] = store.outputs.list({ jobId }).items;
    expect(first).toMatchObject({ status: 'completed', attempts: 3, error: null });
    expect(second).toMatchObject({ status: 'failed', attempts: 3, error: 'Output 1 broke on purpose' });
    expect(r.calls.filter((i) => i === 1)).toHaveLength(3);
    expect(log.events.some((e) => e.type === 'notice' && /Output #2 failed after 3 attempts/.test(e.message))).toBe(
      true,
    );
    // Retrying a failed output starts it again from zero attempts.
    expect(() => queue.retryOutput(first!.id)).toThrow(/completed; only failed or cancelled/);
    const retried = queue.retryOutput(second!.id);
    expect(retried.status === 'pending' || retried.status === 'processing').toBe(true);
    await queue.whenIdle();
    expect(store.outputs.get(second!.id)).toMatchObject({ status: 'failed', attempts: 3 });
    store.close();
  });

  it('cancels a running output (no .part left) and then the whole job', async () => {
    const { store, jobId, outDir } = setup(4);
    const log = new EventLog();
    const r = tinyRenderer({ gated: true });
    const queue = makeQueue(store, r.renderer, log, 1);
    queue.start();
    queue.jobAdded(jobId);
    await r.started(0);
    const first = store.outputs.list({ jobId }).items[0]!;
    expect(first.status).toBe('processing');
    expect(existsSync(`${first.path}.part`)).toBe(true);
    expect(queue.cancelOutput(first.id).status).toBe('cancelled');
    await r.started(1);
    expect(existsSync(`${first.path}.part`)).toBe(false);
    queue.cancelJob(jobId);
    await queue.whenIdle();
    expect(store.outputs.list({ jobId }).items.map((o) => o.status)).toEqual([
      'cancelled',
      'cancelled',
      'cancelled',
      'cancelled',
    ]);
    expect(store.jobs.get(jobId).status).toBe('cancelled');
    expect(readdirSync(outDir)).toEqual([]);
    expect(() => queue.cancelOutput(first.id)).toThrow(/cancelled; only pending or processing/);
    // Retry failed/cancelled brings them all back.
    queue.retryFailed(jobId);
    for (const i of [0, 1, 2, 3]) r.release(i);
    await log.some<JobEvent>((e) => jobDone(jobId)(e) && e.type === 'job.updated' && e.job.status === 'completed');
    expect(store.jobs.get(jobId).completed).toBe(4);
    await queue.whenIdle();
    store.close();
  });

  it('pauses (running outputs finish, none start) and resumes', async () => {
    const { store, jobId } = setup(3);
    const log = new EventLog();
    const r = tinyRenderer({ gated: true });
    const queue = makeQueue(store, r.renderer, log, 1);
    queue.start();
    queue.jobAdded(jobId);
    await r.started(0);
    expect(queue.pause()).toMatchObject({ paused: true, running: 1, pending: 2 });
    r.release(0);
    await queue.whenIdle();
    expect(r.calls).toEqual([0]);
    expect(store.jobs.get(jobId)).toMatchObject({ status: 'paused', completed: 1 });
    // The pause is persisted: a new queue on the same database starts paused.
    expect(new RenderQueue({ store, renderer: r.renderer, emit: () => {} }).state().paused).toBe(true);
    r.release(1);
    r.release(2);
    queue.resume();
    await log.some(jobDone(jobId));
    expect(r.calls).toEqual([0, 1, 2]);
    await queue.whenIdle();
    store.close();
  });

  it('recovers after a crash: PROCESSING re-queued, COMPLETED untouched, finished files kept, .part removed', async () => {
    const { dataDir, store, jobId, outDir } = setup(4);
    const log = new EventLog();
    const r = tinyRenderer({ gated: true });
    const crashed = makeQueue(store, r.renderer, log, 2);
    crashed.start();
    crashed.jobAdded(jobId);
    await r.started(0);
    await r.started(1);
    r.release(0);
    await log.some((e) => e.type === 'output.updated' && e.output.index === 0 && e.output.status === 'completed');
    await r.started(2);
    // "Crash": the first queue is abandoned mid-render, never stopped. Output 1 is left PROCESSING with a .part file;
    // output 2 is PROCESSING too but its renamed final file made it to disk just before the crash.
    const outputs = store.outputs.list({ jobId }).items;
    expect(outputs.map((o) => o.status)).toEqual(['completed', 'processing', 'processing', 'pending']);
    writeFileSync(outputs[2]!.path!, 'finished before the crash');
    const completedMtime = statSync(outputs[0]!.path!).mtimeMs;
    mkdirSync(outDir, { recursive: true });
    writeFileSync(join(outDir, 'stray.mp4.part'), 'x');

    const reopened = Store.open(dataDir);
    const log2 = new EventLog();
    const r2 = tinyRenderer();
    const queue = makeQueue(reopened, r2.renderer, log2, 2);
    queue.recover();
    expect(readdirSync(outDir).filter((n) => n.includes('.part'))).toEqual([]);
    expect(reopened.outputs.list({ jobId }).items.map((o) => o.status)).toEqual([
      'completed',
      'pending',
      'completed',
      'pending',
    ]);
    queue.start();
    await log2.some(jobDone(jobId));
    expect(r2.calls.sort()).toEqual([1, 3]);
    const after = reopened.outputs.list({ jobId }).items;
    expect(after.map((o) => [o.status, o.attempts])).toEqual([
      ['completed', 1],
      ['completed', 2],
      ['completed', 1],
      ['completed', 1],
    ]);
    expect(statSync(after[0]!.path!).mtimeMs).toBe(completedMtime);
    await queue.whenIdle();
    await crashed.stop();
    reopened.close();
    store.close();
  });

  it('stops gracefully: running outputs go back to PENDING with the attempt not counted', async () => {
    const { store, jobId } = setup(2);
    const log = new EventLog();
    const r = tinyRenderer({ gated: true });
    const queue = makeQueue(store, r.renderer, log, 2);
    queue.start();
    queue.jobAdded(jobId);
    await r.started(0);
    await r.started(1);
    await queue.stop();
    const outputs = store.outputs.list({ jobId }).items;
    expect(outputs.map((o) => [o.status, o.attempts])).toEqual([
      ['pending', 0],
      ['pending', 0],
    ]);
    for (const o of outputs) expect(existsSync(`${o.path}.part`)).toBe(false);
    store.close();
  });

  it('hands the engine batches of ready outputs of one job, within the concurrency, hooks called per output', async () => {
    const { store, jobId } = setup(5);
    const other = setup(0);
    other.store.close();
    const log = new EventLog();
    const r = tinyRenderer();
    const completed: number[] = [];
    const queue = new RenderQueue({
      store,
      renderer: r.renderer,
      emit: log.push,
      concurrency: 2,
      batchSize: 2,
      hooks: { outputCompleted: (o) => completed.push(o.index) },
    });
    queue.start();
    queue.jobAdded(jobId);
    const done = await log.some<JobEvent>(jobDone(jobId));
    expect(done.job).toMatchObject({ status: 'completed', completed: 5 });
    await queue.whenIdle();
    expect(r.batches).toEqual([[0, 1], [2, 3], [4]]);
    expect(r.maxActive).toBe(2);
    expect(completed.sort()).toEqual([0, 1, 2, 3, 4]);
    store.close();
  });

  it('cancels one output inside a batch: its render stops, no .part, its batch mates complete', async () => {
    const { store, jobId, outDir } = setup(3);
    const log = new EventLog();
    const r = tinyRenderer({ gated: true });
    const queue = makeQueue(store, r.renderer, log, 1, 3);
    queue.start();
    queue.jobAdded(jobId);
    for (const i of [0, 1, 2]) await r.started(i);
    expect(r.batches).toEqual([[0, 1, 2]]);
    const [, middle] = store.outputs.list({ jobId }).items;
    expect(queue.cancelOutput(middle!.id).status).toBe('cancelled');
    await log.some((e) => e.type === 'output.updated' && e.output.index === 1 && e.output.status === 'cancelled');
    // Its own render rejected (no one released its gate) while the other two still wait for theirs.
    await vi.waitFor(() => expect(existsSync(`${middle!.path}.part`)).toBe(false));
    expect(queue.state().running).toBe(3);
    r.release(0);
    r.release(2);
    await queue.whenIdle();
    expect(store.outputs.list({ jobId }).items.map((o) => o.status)).toEqual(['completed', 'cancelled', 'completed']);
    expect(readdirSync(outDir).sort()).toEqual(['out-0.mp4', 'out-2.mp4']);
    expect(r.batches).toEqual([[0, 1, 2]]);
    expect(queue.state().running).toBe(0);
    store.close();
  });

  it('retries one failed output of a batch alone, with backoff, while its batch mates complete once', async () => {
    const { store, jobId } = setup(3);
    const log = new EventLog();
    const r = tinyRenderer({ failures: { 1: 1 } });
    const queue = makeQueue(store, r.renderer, log, 1, 3);
    queue.start();
    queue.jobAdded(jobId);
    const done = await log.some<JobEvent>(jobDone(jobId));
    expect(done.job).toMatchObject({ status: 'completed', completed: 3 });
    await queue.whenIdle();
    expect(r.batches).toEqual([[0, 1, 2], [1]]);
    expect(store.outputs.list({ jobId }).items.map((o) => [o.status, o.attempts, o.error])).toEqual([
      ['completed', 1, null],
      ['completed', 2, null],
      ['completed', 1, null],
    ]);
    // Between the attempts the failure was visible on that output only.
    expect(
      log.events.some(
        (e) => e.type === 'output.updated' && e.output.index === 1 && e.output.error === 'Output 1 broke on purpose',
      ),
    ).toBe(true);
    store.close();
  });

  it('an engine that cancels on its own (code CANCELLED, e.g. shutting down) re-queues the outputs uncounted', async () => {
    const { store, jobId } = setup(2);
    const log = new EventLog();
    const r = tinyRenderer();
    let calls = 0;
    // The first batch is cancelled by the engine, not by the queue; the error crossed a thread boundary, so it is a
    // plain AppError with the engine's code, like FfmpegPool's revived errors.
    const renderer: QueueRenderer = {
      renderBatch: async (specs, opts) => {
        if (calls++ === 0) throw new AppError('CANCELLED', 'The render engine is shutting down.');
        return r.renderer.renderBatch(specs, opts);
      },
    };
    const queue = makeQueue(store, renderer, log, 1, 2);
    queue.start();
    queue.jobAdded(jobId);
    await log.some<JobEvent>(jobDone(jobId));
    await queue.whenIdle();
    expect(store.outputs.list({ jobId }).items.map((o) => [o.status, o.attempts, o.error])).toEqual([
      ['completed', 1, null],
      ['completed', 1, null],
    ]);
    expect(log.events.some((e) => e.type === 'output.updated' && e.output.error !== null)).toBe(false);
    store.close();
  });

  it('a new concurrency reaches the engine at once and starts more batches without waiting for running ones', async () => {
    const { store, jobId } = setup(3);
    const log = new EventLog();
    const r = tinyRenderer({ gated: true });
    const queue = makeQueue(store, r.renderer, log, 1, 1);
    queue.start();
    queue.jobAdded(jobId);
    await r.started(0);
    expect(queue.state()).toMatchObject({ running: 1, concurrency: 1 });
    queue.setConcurrency(3);
    expect(r.concurrencies).toEqual([3]);
    expect(queue.state()).toMatchObject({ running: 3, concurrency: 3 });
    await r.started(1);
    await r.started(2);
    for (const i of [0, 1, 2]) r.release(i);
    await queue.whenIdle();
    expect(store.jobs.get(jobId).status).toBe('completed');
    store.close();
  });
});
