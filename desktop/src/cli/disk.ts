import { type MixOptions, type MixResult, mix } from '../engine/mix.ts';
import { DiskFullError, isDiskFull, resumingRenderer } from '../engine/render/disk-full.ts';
import { createRenderer } from '../engine/render/renderer.ts';
import type { CliIo } from './command.ts';

/**
 * `mix` for `vmp mix`: outputs already complete in the folder (an earlier run of the same command) are kept and
 * not rendered again, and a full disk stops the run at once with one message saying what the rest needs.
 */
export async function mixKeepingDone(io: CliIo, options: MixOptions): Promise<MixResult> {
  const renderer = resumingRenderer(
    createRenderer({
      cacheDir: options.cacheDir,
      ...(options.concurrency ? { concurrency: options.concurrency } : {}),
      ...(options.onCommand ? { onCommand: options.onCommand } : {}),
    }),
    {
      onExisting: (outputs) =>
        io.stderr.write(
          `Keeping ${outputs.length} video${outputs.length === 1 ? '' : 's'} already complete in ${options.outDir} ` +
            '(readable, right length); rendering only the others.\n',
        ),
    },
  );
  try {
    return await mix({ ...options, renderer });
  } catch (error) {
    // The manifest did not fit after the videos: report what is on disk rather than lose it.
    if (!isDiskFull(error)) throw error;
    const { outputs, failed } = renderer.last;
    const made = outputs.map(({ index, path, clipIds, sources, duration }) => ({
      index,
      path,
      clipIds,
      sources,
      duration,
    }));
    const fullError = failed.find((f) => f.error instanceof DiskFullError);
    const remaining = options.combinations.length - outputs.length;
    return {
      outputs: made,
      failed: [
        ...failed.filter((f) => f !== fullError),
        {
          index: fullError?.index ?? -1,
          error: fullError?.error ?? new DiskFullError({ outDir: options.outDir, made: outputs, remaining }, error),
        },
      ],
      manifest: { csv: '', json: '' },
    };
  } finally {
    await renderer.close();
  }
}
