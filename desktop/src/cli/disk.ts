import { createCpuPool } from '../core/cpu-tasks.ts';
import { type MixOptions, type MixResult, mix } from '../engine/mix.ts';
import { DiskFullError, isDiskFull, resumingRenderer } from '../engine/render/disk-full.ts';
import { existingOutputs } from '../engine/render/existing.ts';
import { createRenderer } from '../engine/render/renderer.ts';
import { renderSpecs } from '../engine/render/spec.ts';
import type { OutputResult } from '../engine/render/types.ts';
import type { CliIo } from './command.ts';

type DoneOptions = Pick<MixOptions, 'projectName' | 'sources' | 'combinations' | 'settings' | 'outDir' | 'signal'> & {
  /** The plan's file names (planOutputs), in the order of `combinations`. */
  fileNames: readonly string[];
};

/**
 * The outputs of this run already complete in its folder (an earlier run of the same command), by index, found
 * before anything is reserved: they are kept, not rendered again and not paid again.
 */
export async function outputsAlreadyDone(options: DoneOptions): Promise<Map<number, OutputResult>> {
  const specs = renderSpecs({
    projectName: options.projectName,
    combinations: options.combinations,
    fileNames: options.fileNames,
    sources: options.sources,
    settings: options.settings,
    outDir: options.outDir,
  });
  return existingOutputs(specs, options.signal);
}

/**
 * `mix` for `vmp mix`: outputs already complete in the folder (an earlier run of the same command) are kept and
 * not rendered again, and a full disk stops the run at once with one message saying what the rest needs.
 */
export async function mixKeepingDone(
  io: CliIo,
  { done, ...options }: MixOptions & { done?: ReadonlyMap<number, OutputResult> },
): Promise<MixResult> {
  // One pool for FFmpeg and the manifest (CPU work off the main thread, beside the renders).
  const pool = createCpuPool({
    ...(options.concurrency ? { concurrency: options.concurrency } : {}),
    ...(options.onCommand ? { onCommand: options.onCommand } : {}),
  });
  const renderer = resumingRenderer(createRenderer({ cacheDir: options.cacheDir, pool }), {
    ...(done ? { existing: done } : {}),
    onExisting: (outputs) =>
      io.stderr.write(
        `Keeping ${outputs.length} video${outputs.length === 1 ? '' : 's'} already complete in ${options.outDir} ` +
          '(readable, right length); rendering only the others.\n',
      ),
  });
  try {
    return await mix({
      ...options,
      renderer,
      writeManifest: (outDir, input) => pool.compute('writeManifest', outDir, input),
    });
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
    await pool.destroy();
  }
}
