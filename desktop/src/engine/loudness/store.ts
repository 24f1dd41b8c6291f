import { randomBytes } from 'node:crypto';
import { mkdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { CancelledError } from '../errors.ts';
import { checkContentHash } from '../hash/content-hash.ts';
import { type LoudnessPlan, loudnessChain, loudnessPlan, refinePlan } from './gain.ts';
import { type LoudnessStats, measureLoudness } from './measure.ts';

/** A clip's measurement and the plan that brings it to the target (refined by measuring again when it is limited). */
export interface LoudnessEntry extends LoudnessStats {
  plan: LoudnessPlan;
}

/** Extra measurements of a limited clip, at most: each gets it closer to the target. */
const REFINE_PASSES = 2;

/** Measurements running at once: an audio-only decode is light, but every clip of a project asks at the start. */
const MEASURE_CONCURRENCY = 2;

/**
 * Loudness measurements on disk beside the intermediates, one small JSON per content hash: a clip is measured once,
 * whatever profiles and outputs use it. Written by rename, so a file present is complete.
 */
export class LoudnessStore {
  /** Measurements actually run, for tests and stats. */
  measured = 0;
  private readonly inFlight = new Map<string, Promise<LoudnessEntry>>();
  private running = 0;
  private readonly waiting: (() => void)[] = [];

  constructor(readonly dir: string) {}

  /** The file of a content hash; anything but 64 hex digits is refused (it would name a path outside `dir`). */
  pathFor(hash: string): string {
    return join(this.dir, `loudness-${checkContentHash(hash)}.json`);
  }

  /** The stats of `path` (content `hash`), measured now unless stored. */
  async get(hash: string, path: string, options: { signal?: AbortSignal } = {}): Promise<LoudnessEntry> {
    const file = this.pathFor(hash);
    let entry = this.inFlight.get(file);
    if (!entry) {
      entry = this.load(file, path, options.signal).finally(() => this.inFlight.delete(file));
      this.inFlight.set(file, entry);
    }
    return entry;
  }

  private async load(file: string, path: string, signal: AbortSignal | undefined): Promise<LoudnessEntry> {
    const stored = await readEntry(file);
    if (stored) return stored;
    await this.acquire();
    try {
      if (signal?.aborted) throw new CancelledError();
      this.measured++;
      const stats = await measureLoudness(path, signal ? { signal } : {});
      let plan = loudnessPlan(stats);
      for (let pass = 0; plan.limit && pass < REFINE_PASSES; pass++) {
        const after = await measureLoudness(path, { treat: loudnessChain(plan), ...(signal ? { signal } : {}) });
        const better = refinePlan(plan, after.integrated);
        if (!better) break;
        plan = better;
      }
      const entry: LoudnessEntry = { ...stats, plan };
      await mkdir(this.dir, { recursive: true });
      const temp = `${file}.${process.pid}-${randomBytes(4).toString('hex')}.tmp`;
      await writeFile(temp, JSON.stringify(entry));
      await rename(temp, file).catch(async (error: unknown) => {
        await rm(temp, { force: true });
        throw error;
      });
      return entry;
    } finally {
      this.release();
    }
  }

  private acquire(): Promise<void> {
    if (this.running < MEASURE_CONCURRENCY) {
      this.running++;
      return Promise.resolve();
    }
    return new Promise((resolve) =>
      this.waiting.push(() => {
        this.running++;
        resolve();
      }),
    );
  }

  private release(): void {
    this.running--;
    this.waiting.shift()?.();
  }
}

async function readEntry(file: string): Promise<LoudnessEntry | null> {
  try {
    const data = JSON.parse(await readFile(file, 'utf8')) as Partial<LoudnessEntry>;
    const plan = data.plan;
    if (typeof data.integrated !== 'number' || typeof plan?.gainDb !== 'number' || typeof plan.limit !== 'boolean') {
      return null;
    }
    return {
      integrated: data.integrated,
      truePeak: typeof data.truePeak === 'number' ? data.truePeak : null,
      plan: { gainDb: plan.gainDb, limit: plan.limit },
    };
  } catch {
    return null;
  }
}
