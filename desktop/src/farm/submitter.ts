import { randomBytes } from 'node:crypto';
import { hostname } from 'node:os';
import { AppError, ValidationError } from '@vmp/shared/errors';
import { CancelledError } from '../engine/errors.ts';
import { finalPathOf } from '../engine/render/spec.ts';
import type { BatchOptions, OutputSpec, Renderer } from '../engine/render/types.ts';
import type { ObjectStorage } from '../storage/types.ts';
import { farmBatches } from './batches.ts';
import { farmConnection } from './connection.ts';
import { followBatches } from './follow.ts';
import { workerName } from './payload.ts';
import { RemoteOutputs } from './remote/outputs.ts';
import { filesOfSpecs, uploadFiles } from './remote/upload.ts';
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
  /**
   * A farm without a shared folder (farm/remote): clips go to this bucket once (by content hash), workers put the
   * outputs there, and each is downloaded to its path as it finishes (unless `keepRemote`).
   */
  storage?: ObjectStorage;
  keepRemote?: boolean;
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
  /** With storage: the output's s3:// URL in the bucket. */
  remoteOf(path: string): string | undefined;
}

export function createFarmRenderer(options: FarmRendererOptions): FarmRenderer {
  const workers = new Map<string, string>();
  const remotes = new Map<string, string>();
  const { storage } = options;
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
    const outputDone = (result: FarmOutputResult) => {
      workers.set(result.path, result.worker);
      opts.onOutputDone?.(result);
    };
    const remote = storage
      ? new RemoteOutputs(storage, runId, {
          keepRemote: options.keepRemote === true,
          log,
          onDone: outputDone,
          onFailed: (index, error) => opts.onOutputFailed?.(index, error),
        })
      : undefined;
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
        onOutputDone: (result) => (remote ? remote.arrived(result) : outputDone(result)),
        ...(opts.onOutputFailed ? { onOutputFailed: opts.onOutputFailed } : {}),
        ...(opts.onOutputWorker ? { onOutputWorker: opts.onOutputWorker } : {}),
      },
    );
    if (new Set(specs.map((s) => s.combination.index)).size !== specs.length) {
      throw new ValidationError('A farm batch needs distinct combination indexes (one render call per project).');
    }

    const files = storage ? await filesOfSpecs(specs) : [];
    if (storage) await uploadFiles(storage, files, log, signal);
    const batches = farmBatches(specs, {
      runId,
      submitter,
      batchSize: options.batchSize ?? settings.batchSize,
      createdAt: new Date().toISOString(),
    });
    if (storage) {
      const hashOf = new Map(files.map((f) => [f.path, f.hash]));
      for (const { data } of batches) {
        const paths = new Set(
          data.specs.flatMap((s) => [
            ...s.sources.map((c) => c.path),
            ...(s.settings.audio.musicPath ? [s.settings.audio.musicPath] : []),
          ]),
        );
        data.storage = { url: storage.url, files: [...paths].map((path) => ({ path, hash: hashOf.get(path)! })) };
      }
    }
    if (batches.length > 0) {
      const signing = await signer();
      await followBatches(batches, tracker, {
        url: options.url,
        connection,
        settings,
        ...(options.queue ? { queue: options.queue } : {}),
        ...(signal ? { signal } : {}),
        log,
        runId,
        seal: (data) => sealJob(data, signing),
      });
    }
    if (!remote) return tracker.results();
    await remote.settled();
    for (const [path, url] of remote.urls) remotes.set(path, url);
    const { outputs, failed, cancelled } = tracker.results();
    return {
      cancelled,
      outputs: outputs.filter((o) => !remote.failed.has(o.index)),
      failed: [...failed, ...[...remote.failed].map(([index, error]) => ({ index, error }))].sort(
        (a, b) => a.index - b.index,
      ),
    };
  }

  return {
    renderBatch,
    workerOf: (path) => workers.get(path),
    remoteOf: (path) => remotes.get(path),
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
