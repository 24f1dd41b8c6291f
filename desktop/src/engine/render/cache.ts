import { createHash, randomBytes } from 'node:crypto';
import { mkdir, readdir, rename, rm, stat } from 'node:fs/promises';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { processAlive } from '../../util/process-alive.ts';
import { onAbort } from '../abort/on-abort.ts';
import { CancelledError } from '../errors.ts';
import type { FfmpegProgress } from '../ffmpeg/command.ts';
import { clipLoudness } from '../loudness/clip.ts';
import { LoudnessStore } from '../loudness/store.ts';
import type { FfmpegJob, JobOptions } from '../pool/pool.ts';
import { type Profile, profileKey } from '../profiles/profile.ts';
import { type ClipText, textKey } from '../text/overlay.ts';
import { NormaliseFailedError } from './errors.ts';
import { normaliseArgs, normalisePlan } from './normalise-args.ts';
import { prepareTextFilter } from './text-overlay.ts';
import type { RenderSource } from './types.ts';

export type JobRunner = (job: FfmpegJob, options: JobOptions) => Promise<void>;

/**
 * File name of a source's intermediate for a profile: content hash + profile (+ the text burned in, if any), nothing
 * about the path.
 */
export function intermediateName(hash: string, profile: Profile, text?: ClipText): string {
  const key = createHash('sha256')
    .update(`${hash}\n${profileKey(profile)}${text ? `\ntext-${textKey(text)}` : ''}`)
    .digest('hex')
    .slice(0, 32);
  return `${key}-${profile.width}x${profile.height}-${profile.fps}-${profile.fit}.mov`;
}

/** Leftovers older than this are swept even if their process id is alive again (ids get reused). */
export const STALE_TEMP_MS = 24 * 60 * 60 * 1000;

/** This machine in temp names: a cache shared by several machines (render farm) must not judge others' process ids. */
export const HOST_TAG = createHash('sha256').update(hostname()).digest('hex').slice(0, 8);

/**
 * Whether a cache leftover can go: a `*.<pid>-<rand>[@<host>].tmp` intermediate of this machine whose process is
 * gone, or any temp or concat list older than a day (a crash or kill -9 leaves them; nothing here takes a day).
 */
export function isStaleLeftover(
  name: string,
  ageMs: number,
  isAlive: (pid: number) => boolean,
  host = HOST_TAG,
): boolean {
  if (!name.endsWith('.tmp') && !name.endsWith('.ffconcat')) return false;
  if (ageMs > STALE_TEMP_MS) return true;
  const match = /\.(\d+)-[0-9a-f]+(?:@([0-9a-f]{8}))?\.tmp$/.exec(name);
  if (!match || (match[2] !== undefined && match[2] !== host)) return false;
  return !isAlive(Number(match[1]));
}

/** Removes stale leftovers in the cache folder and its concat-list folder; returns how many went. Best effort. */
export async function sweepLeftovers(dir: string, now = Date.now()): Promise<number> {
  let removed = 0;
  for (const folder of [dir, join(dir, 'lists')]) {
    const names = await readdir(folder).catch(() => [] as string[]);
    for (const name of names) {
      const path = join(folder, name);
      const info = await stat(path).catch(() => undefined);
      if (!info?.isFile() || !isStaleLeftover(name, now - info.mtimeMs, processAlive)) continue;
      await rm(path, { force: true }).then(
        () => removed++,
        () => undefined,
      );
    }
  }
  return removed;
}

interface InFlight {
  promise: Promise<string>;
  controller: AbortController;
  refs: number;
  settled: boolean;
  /** Every waiting caller's progress callback: the run's FFmpeg progress goes to all of them. */
  listeners: Set<(fraction: number) => void>;
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
  /** What crashed runs left behind is swept once, in the background, when the cache is opened. */
  readonly swept: Promise<number>;
  /** Loudness measured once per clip (by content hash), kept beside the intermediates. */
  readonly loudness: LoudnessStore;

  constructor(
    readonly dir: string,
    private readonly run: JobRunner,
  ) {
    this.swept = sweepLeftovers(dir);
    this.loudness = new LoudnessStore(dir);
  }

  pathFor(source: RenderSource, profile: Profile, text?: ClipText): string {
    return join(this.dir, intermediateName(source.hash, profile, text));
  }

  /** `text`: captions/headline/watermark burned in while normalising (its own cache entry). */
  async get(
    source: RenderSource,
    profile: Profile,
    options: { signal?: AbortSignal; onProgress?: (fraction: number) => void; text?: ClipText } = {},
  ): Promise<string> {
    if (options.signal?.aborted) throw new CancelledError();
    const path = this.pathFor(source, profile, options.text);
    let entry = inFlight.get(path);
    if (!entry) {
      if (await isComplete(path)) return path;
      entry = inFlight.get(path); // another caller may have started while we looked
    }
    if (!entry) {
      const controller = new AbortController();
      const listeners = new Set<(fraction: number) => void>();
      const created: InFlight = { controller, refs: 0, settled: false, promise: Promise.resolve(path), listeners };
      const broadcast = (fraction: number) => {
        for (const listener of listeners) listener(fraction);
      };
      created.promise = this.produce(source, profile, path, controller.signal, {
        onProgress: broadcast,
        ...(options.text ? { text: options.text } : {}),
      }).finally(() => {
        created.settled = true;
        inFlight.delete(path);
      });
      inFlight.set(path, created);
      entry = created;
    }
    const { onProgress } = options;
    if (onProgress) {
      entry.listeners.add(onProgress);
      entry.promise.finally(() => entry.listeners.delete(onProgress)).catch(() => undefined);
    }
    return join_(entry, options.signal);
  }

  private async produce(
    source: RenderSource,
    profile: Profile,
    path: string,
    signal: AbortSignal,
    { onProgress, text }: { onProgress?: (fraction: number) => void; text?: ClipText },
  ): Promise<string> {
    await mkdir(this.dir, { recursive: true });
    const temp = `${path}.${process.pid}-${randomBytes(4).toString('hex')}@${HOST_TAG}.tmp`;
    const { duration } = normalisePlan(source.info, profile);
    this.runs++;
    try {
      const overlay = text ? await prepareTextFilter(this.dir, profile, [{ text, duration }]) : undefined;
      const loudness = await clipLoudness(this.loudness, source, profile, signal);
      await this.run(
        {
          args: normaliseArgs(source.path, source.info, profile, temp, {
            ...(overlay ? { textFilter: overlay.filter } : {}),
            loudness,
          }),
          label: `Normalising ${source.path}`,
          ...(overlay ? { env: overlay.env } : {}),
        },
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
  let stopWatching = () => {};
  /** Returns true when this caller was the last and so stopped the run. */
  const leave = (): boolean => {
    if (left) return false;
    left = true;
    entry.refs--;
    stopWatching();
    if (entry.refs > 0 || entry.settled) return false;
    entry.controller.abort();
    return true;
  };
  return new Promise<string>((resolve, reject) => {
    stopWatching = onAbort(signal, () => {
      // The last one out waits for the FFmpeg run to be gone, so a cancelled render leaves no process behind.
      if (leave()) entry.promise.catch(() => undefined).then(() => reject(new CancelledError()));
      else reject(new CancelledError());
    });
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
