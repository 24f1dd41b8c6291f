import { AppError } from '@vmp/shared/errors';
import { finalPathOf } from '../engine/render/spec.ts';
import type { Renderer } from '../engine/render/types.ts';
import { redactUrl } from '../farm/connection.ts';
import { createFarmRenderer, type FarmRenderer } from '../farm/submitter.ts';
import type { FarmJobSigner } from '../farm/trust/envelope.ts';

/** What the queue needs of a renderer. */
export type QueueRenderer = Pick<Renderer, 'renderBatch' | 'close'> & Partial<Pick<Renderer, 'setConcurrency'>>;

export interface RendererChoiceOptions {
  /** This computer's renderer. */
  local: QueueRenderer;
  /** The "Render farm" setting, read at each batch: a change applies to the next batch without a restart. */
  farmUrl: () => Promise<string | null>;
  /** The farm's bucket (s3://…; farm/remote): jobs go through it instead of a shared folder. Read with farmUrl. */
  farmStorageUrl?: () => string | null;
  /** Signs each farm job as this machine's (farm/trust); default: unlicensed. */
  farmSigner?: () => Promise<FarmJobSigner>;
  /**
   * The farm worker ("host:pid") of the output at `path`: as soon as a worker takes its batch, and again before the
   * queue marks it done; null when it renders on this computer.
   */
  onWorker?: (path: string, worker: string | null) => void;
}

/**
 * The queue's renderer: the farm's while a farm URL is set, else the local one. One farm renderer per URL (made
 * again when the URL changes); the queue's progress, retries, cancel and credits stay on this machine.
 */
export function chooseRenderer(options: RendererChoiceOptions): QueueRenderer {
  let farm: { url: string; storage: string | null; renderer: FarmRenderer } | undefined;
  const farmFor = async (url: string): Promise<FarmRenderer> => {
    const storage = options.farmStorageUrl?.() ?? null;
    // The S3 client loads only when a bucket is set.
    const { openStorage } = storage ? await import('../storage/index.ts') : { openStorage: undefined };
    if (farm?.url !== url || farm.storage !== storage) {
      void farm?.renderer.close();
      farm = {
        url,
        storage,
        renderer: createFarmRenderer({
          url,
          ...(options.farmSigner ? { signer: options.farmSigner } : {}),
          ...(storage && openStorage ? { storage: openStorage(storage, process.env, 'farmStorageUrl') } : {}),
        }),
      };
    }
    return farm.renderer;
  };

  const renderBatch: Renderer['renderBatch'] = async (specs, opts = {}) => {
    const url = await options.farmUrl();
    if (url === null) {
      // A farm worker named by an earlier attempt did not make this one.
      for (const spec of specs) options.onWorker?.(finalPathOf(spec), null);
      return options.local.renderBatch(specs, opts);
    }
    const renderer = await farmFor(url);
    try {
      const result = await renderer.renderBatch(specs, {
        ...opts,
        onOutputDone: (done) => {
          const worker = renderer.workerOf(done.path);
          if (worker) options.onWorker?.(done.path, worker);
          opts.onOutputDone?.(done);
        },
        onOutputWorker: (_index, worker, path) => options.onWorker?.(path, worker),
        onOutputFailed: (index, error) => opts.onOutputFailed?.(index, appWording(error, url) as Error),
      });
      return { ...result, failed: result.failed.map((f) => ({ ...f, error: appWording(f.error, url) as Error })) };
    } catch (error) {
      throw appWording(error, url);
    }
  };

  return {
    renderBatch,
    setConcurrency: (concurrency) => options.local.setConcurrency?.(concurrency),
    async close() {
      await farm?.renderer.close();
      await options.local.close();
    },
  };
}

/** The submitter speaks of the --farm flag; in the app the URL is the "Render farm" setting. */
function appWording(error: unknown, url: string): unknown {
  if (!(error instanceof AppError) || error.code !== 'FARM_UNREACHABLE') return error;
  const reason = (error.details as { reason?: string } | undefined)?.reason ?? error.message;
  return new AppError(
    'FARM_UNREACHABLE',
    `Cannot reach the render farm's Redis at ${redactUrl(url)} (${reason}): check the Render farm setting and that Redis is running, or clear the setting to render on this computer (then retry the failed outputs).`,
    { status: 503, details: { url: redactUrl(url) }, cause: error },
  );
}
