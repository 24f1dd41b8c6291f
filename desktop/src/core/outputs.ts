import type { Output } from '@vmp/shared/api';
import { ValidationError } from '@vmp/shared/errors';
import type { AreaHandlers, CoreContext } from './context.ts';

/** The file of a completed output; a clear error for any other state. */
function completedPath(ctx: CoreContext, outputId: string): string {
  const output = ctx.store.outputs.get(outputId);
  if (output.status !== 'completed' || !output.path) {
    throw new ValidationError(`Output #${output.index + 1} is ${output.status}: there is no file to show yet.`, {
      outputId,
    });
  }
  return output.path;
}

/** outputs.*: list, cancel, retry, reveal and open outputs. */
export function outputHandlers(ctx: CoreContext): AreaHandlers<'outputs'> {
  const { store, queue, platform } = ctx;
  return {
    async 'outputs.list'(filter) {
      return store.outputs.list(filter);
    },
    async 'outputs.cancel'({ outputId }) {
      return queue.cancelOutput(outputId);
    },
    async 'outputs.retry'({ outputId }) {
      const output = store.outputs.get(outputId);
      if (output.status === 'failed' || output.status === 'cancelled')
        await ctx.credits?.beforeRetry?.(output.jobId, 1);
      return queue.retryOutput(outputId);
    },
    async 'outputs.reveal'({ outputId }) {
      await platform.reveal(completedPath(ctx, outputId));
      return { ok: true as const };
    },
    async 'outputs.open'({ outputId }) {
      await platform.open(completedPath(ctx, outputId));
      return { ok: true as const };
    },
  };
}

/** Files behind the media routes (see media.ts): null when there is none (yet). */
export function mediaFiles(ctx: CoreContext) {
  const { store } = ctx;
  return {
    thumbnailFile(clipId: string): string | null {
      try {
        return store.clips.thumbnail(clipId);
      } catch {
        return null;
      }
    },
    /** A still of a completed output, made on first request and cached. */
    async outputThumbnailFile(outputId: string): Promise<string | null> {
      let output: Output;
      try {
        output = store.outputs.get(outputId);
      } catch {
        return null;
      }
      if (output.status !== 'completed' || !output.path) return null;
      // The engine shares one FFmpeg run between concurrent requests for the same still.
      const options = { cacheDir: ctx.thumbsDir, key: `output-${output.id}`, duration: output.duration ?? 1 };
      return ctx.engine.thumbnail(output.path, options).catch(() => null);
    },
    outputFile(outputId: string): string | null {
      try {
        const output = store.outputs.get(outputId);
        return output.status === 'completed' ? output.path : null;
      } catch {
        return null;
      }
    },
  };
}
