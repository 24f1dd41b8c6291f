import { AppError } from '@vmp/shared/errors';
import { redactUrl } from '../farm/connection.ts';
import { createFarmRenderer, type FarmRenderer } from '../farm/submitter.ts';
import type { RenderOutputFn } from '../queue/types.ts';

export interface RendererChoiceOptions {
  /** This computer's renderer. */
  local: { render: RenderOutputFn; close(): Promise<void> };
  /** The "Render farm" setting, read at each render: a change applies to the next output without a restart. */
  farmUrl: () => string | null;
  /** The farm worker ("host:pid") that made the file at `path`, before the queue marks it done. */
  onWorker?: (path: string, worker: string) => void;
}

/**
 * The queue's render function: the farm renderer while a farm URL is set, else the local one. One farm renderer
 * per URL (made again when the URL changes); the queue's progress, retries, cancel and credits stay on this machine.
 */
export function chooseRenderer(options: RendererChoiceOptions): { render: RenderOutputFn; close(): Promise<void> } {
  let farm: { url: string; renderer: FarmRenderer } | undefined;
  const farmFor = (url: string): FarmRenderer => {
    if (farm?.url !== url) {
      farm = { url, renderer: createFarmRenderer({ url }) };
    }
    return farm.renderer;
  };

  const render: RenderOutputFn = async (spec, { signal, onProgress }) => {
    const url = options.farmUrl();
    if (url === null)
      return options.local.render(spec, { ...(signal ? { signal } : {}), ...(onProgress ? { onProgress } : {}) });
    const renderer = farmFor(url);
    try {
      const result = await renderer.renderOutput(spec, {
        ...(signal ? { signal } : {}),
        ...(onProgress ? { onProgress: (p) => onProgress({ fraction: p.fraction }) } : {}),
      });
      const worker = renderer.workerOf(result.path);
      if (worker) options.onWorker?.(result.path, worker);
      return { path: result.path, duration: result.duration };
    } catch (error) {
      throw appWording(error, url);
    }
  };

  return {
    render,
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
