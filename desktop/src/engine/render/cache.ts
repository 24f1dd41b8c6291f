import { createHash, randomBytes } from 'node:crypto';
import { mkdir, rename, rm, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { CancelledError } from '../errors.ts';
import type { FfmpegProgress } from '../ffmpeg/command.ts';
import type { FfmpegJob, JobOptions } from '../pool/pool.ts';
import { type Profile, profileKey } from '../profiles/profile.ts';
import { NormaliseFailedError } from './errors.ts';
import { normaliseArgs, normalisePlan } from './normalise-args.ts';
import type { RenderSource } from './types.ts';

export type JobRunner = (job: FfmpegJob, options: JobOptions) => Promise<void>;

/** File name of a source's intermediate for a profile: content hash + profile, nothing about the path. */
export function intermediateName(hash: string, profile: Profile): string {
  const key = createHash('sha256')
    .update(`${hash}\n${profileKey(profile)}`)
    .digest('hex')
    .slice(0, 32);
  return `${key}-${profile.width}x${profile.height}-${profile.fps}-${profile.fit}.mov`;
}

interface InFlight {
  promise: Promise<string>;
  controller: AbortController;
  refs: number;
  settled: boolean;
}

/**
 * Normalised intermediates on disk. A finished file is only ever created by rename from a temp name, so a file
 * under its final name is complete (a crash leaves at most a *.tmp, never a half intermediate that looks done).
 * Concurrent requests for the same intermediate share one FFmpeg run (across renderers in this process; across
 * processes the atomic rename keeps it correct, at the cost of a duplicate run); it is killed only when every
 * requester has cancelled.
 */
/** Process-wide, keyed by final path: renderers sharing a cache folder (CLI, queue) also share runs. */
const inFlight = new Map<string, InFlight>();

export class NormaliseCache {
  /** FFmpeg runs started, for tests and stats. */
  runs = 0;

  constructor(
    readonly dir: string,
    private readonly run: JobRunner,
  ) {}

  pathFor(source: RenderSource, profile: Profile): string {
    return join(this.dir, intermediateName(source.hash, profile));
  }

  async get(
    source: RenderSource,
    profile: Profile,
    options: { signal?: AbortSignal; onProgress?: (fraction: number) => void } = {},
  ): Promise<string> {
    if (options.signal?.aborted) throw new CancelledError();
    const path = this.pathFor(source, profile);
    let entry = inFlight.get(path);
    if (!entry) {
      if (await isComplete(path)) return path;
      entry = inFlight.get(path); // another caller may have started while we looked
    }
    if (!entry) {
      const controller = new AbortController();
      const created: InFlight = { controller, refs: 0, settled: false, promise: Promise.resolve(path) };
      created.promise = this.produce(source, profile, path, controller.signal, options.onProgress).finally(() => {
        created.settled = true;
        inFlight.delete(path);
      });
      inFlight.set(path, created);
      entry = created;
    }
    return join_(entry, options.signal);
  }

  private async produce(
    source: RenderSource,
    profile: Profile,
    path: string,
    signal: AbortSignal,
    onProgress?: (fraction: number) => void,
  ): Promise<string> {
    await mkdir(this.dir, { recursive: true });
    const temp = `${path}.${process.pid}-${randomBytes(4).toString('hex')}.tmp`;
    const { duration } = normalisePlan(source.info, profile);
    this.runs++;
    try {
      await this.run(
        { args: normaliseArgs(source.path, source.info, profile, temp), label: `Normalising ${source.path}` },
        {
          signal,
          ...(onProgress
            ? { onProgress: (p: FfmpegProgress) => onProgress(Math.min(1, p.outTimeSeconds / duration)) }
            : {}),
        },
      );
      await rename(temp, path);
      return path;
    } catch (error) {
      await rm(temp, { force: true });
      if (error instanceof CancelledError) throw error;
      throw new NormaliseFailedError(source.id, source.path, error);
    }
  }
}

/** Waits for a shared run; leaving (by abort) drops this caller's reference and aborts the run if none remain. */
function join_(entry: InFlight, signal: AbortSignal | undefined): Promise<string> {
  entry.refs++;
  let left = false;
  const leave = () => {
    if (left) return;
    left = true;
    entry.refs--;
    signal?.removeEventListener('abort', onAbort);
    if (entry.refs === 0 && !entry.settled) entry.controller.abort();
  };
  let onAbort = () => {};
  return new Promise<string>((resolve, reject) => {
    onAbort = () => {
      leave();
      reject(new CancelledError());
    };
    signal?.addEventListener('abort', onAbort, { once: true });
    entry.promise.then(
      (value) => {
        leave();
        resolve(value);
      },
      (error: unknown) => {
        leave();
        reject(error);
      },
    );
  });
}

async function isComplete(path: string): Promise<boolean> {
  try {
    return (await stat(path)).size > 0;
  } catch {
    return false;
  }
}
