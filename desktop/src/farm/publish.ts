import { randomBytes } from 'node:crypto';
import { link, rename, rm, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { runFfprobe } from '../engine/ffmpeg/run.ts';

/** Hidden folder beside the outputs where each job attempt renders before publishing. */
export const STAGING_FOLDER = '.vmp-farm';

/**
 * A folder of its own for one attempt of one job, inside the output folder (same file system, so publishing is a
 * rename). Why not the output's own `.part` beside it: a worker killed with SIGKILL leaves its FFmpeg children
 * running, and they keep writing their files; a retry on another worker must never write the same file.
 */
export function stagingDir(outDir: string, jobId: string, worker: string): string {
  const safe = `${jobId}-${worker}`.replace(/[^A-Za-z0-9._-]/g, '_');
  return join(outDir, STAGING_FOLDER, `${safe}-${randomBytes(4).toString('hex')}`);
}

export interface RunMark {
  /** The run's creation_time, as written into every output. */
  createdAt: string;
  /** Combination index. */
  index: number;
}

/**
 * If `path` is a complete output of this run, its duration in seconds (video stream), else null: a container with
 * video and audio, and the run's creation_time and combination in its metadata (an older file of the same name
 * from another run does not count).
 */
export async function finishedOutputDuration(path: string, mark: RunMark): Promise<number | null> {
  const info = await stat(path).catch(() => undefined);
  if (!info?.isFile() || info.size === 0) return null;
  try {
    const { stdout } = await runFfprobe(['-print_format', 'json', '-show_format', '-show_streams', path], {
      captureStdout: true,
    });
    const probe = JSON.parse(stdout.toString('utf8')) as {
      streams?: { codec_type?: string; duration?: string }[];
      format?: { duration?: string; tags?: Record<string, string> };
    };
    const types = new Set((probe.streams ?? []).map((s) => s.codec_type));
    const tags = probe.format?.tags ?? {};
    const created = Date.parse(tags.creation_time ?? '');
    const video = Number(probe.streams?.find((s) => s.codec_type === 'video')?.duration);
    const ours =
      types.has('video') &&
      types.has('audio') &&
      video > 0 &&
      Math.floor(created / 1000) === Math.floor(Date.parse(mark.createdAt) / 1000) &&
      (tags.comment ?? '').includes(`; combination ${mark.index}:`);
    return ours ? video : null;
  } catch {
    return null;
  }
}

export async function isFinishedOutput(path: string, mark: RunMark): Promise<boolean> {
  return (await finishedOutputDuration(path, mark)) !== null;
}

export type PublishOutcome = 'published' | 'already-there';

const NO_HARD_LINKS = new Set(['EPERM', 'ENOTSUP', 'EOPNOTSUPP', 'ENOSYS', 'EXDEV', 'EMLINK']);

/**
 * Moves a finished staged file to its final name, atomically and at most once: a hard link fails if the name is
 * taken, so a second worker finishing the same output (a job run twice) never replaces the first one's file.
 * A file already there that is not this run's output is replaced (as a local render would). File systems without
 * hard links fall back to rename.
 */
export async function publishOutput(staged: string, final: string, mark: RunMark): Promise<PublishOutcome> {
  try {
    await link(staged, final);
    await rm(staged, { force: true });
    return 'published';
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? '';
    if (code === 'EEXIST') {
      if (await isFinishedOutput(final, mark)) {
        await rm(staged, { force: true });
        return 'already-there';
      }
      await rename(staged, final);
      return 'published';
    }
    if (!NO_HARD_LINKS.has(code)) throw error;
    if (await isFinishedOutput(final, mark)) {
      await rm(staged, { force: true });
      return 'already-there';
    }
    await rename(staged, final);
    return 'published';
  }
}
