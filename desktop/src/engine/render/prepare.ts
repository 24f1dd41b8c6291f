import { CancelledError } from '../errors.ts';
import { type Profile, resolveProfile } from '../profiles/profile.ts';
import { type ClipText, clipTextFor } from '../text/overlay.ts';
import type { OutputMetadata } from './assemble-args.ts';
import { NormaliseFailedError, RenderFailedError } from './errors.ts';
import { outputSeed } from './naming.ts';
import { normalisePlan } from './normalise-args.ts';
import { partPathOf } from './part-file.ts';
import { finalPathOf } from './spec.ts';
import { type RenderStrategy, strategyOf } from './strategy/index.ts';
import type { OutputSpec, RenderSource } from './types.ts';

// What the renderer derives from a spec before any FFmpeg runs, and how it names what went wrong.

/** Everything derived from a spec before any FFmpeg runs. */
export interface Prepared {
  spec: OutputSpec;
  index: number;
  profile: Profile;
  /** How it is rendered (chosen once, here, from its settings). */
  strategy: RenderStrategy;
  clips: RenderSource[];
  /** Text over each clip (captions, headline, watermark); undefined: none. */
  texts: (ClipText | undefined)[];
  finalPath: string;
  partPath: string;
  seed: number;
  /** Frames/samples of the plain concatenation of the normalised clips. */
  frames: number;
  samples: number;
  createdAt: Date;
}

export function prepare(spec: OutputSpec): Prepared {
  const { combination, settings } = spec;
  const byId = new Map(spec.sources.map((s) => [s.id, s]));
  const clips = combination.clipIds.map((id) => {
    const source = byId.get(id);
    if (!source) {
      throw new RenderFailedError(`Output ${combination.index + 1}: clip "${id}" is not among the sources.`, {
        index: combination.index,
        clipId: id,
      });
    }
    return source;
  });
  const profile = resolveProfile(settings);
  const seed = outputSeed(settings.seed, combination.index);
  const finalPath = finalPathOf(spec);
  let frames = 0;
  let samples = 0;
  for (const clip of clips) {
    const plan = normalisePlan(clip.info, profile);
    frames += plan.frames;
    samples += plan.samples;
  }
  return {
    spec,
    index: combination.index,
    profile,
    strategy: strategyOf(settings),
    clips,
    texts: clips.map((clip, k) => clipTextFor(clip.captions, combination.headlines?.[k], settings)),
    finalPath,
    partPath: partPathOf(finalPath),
    seed,
    frames,
    samples,
    createdAt: spec.createdAt ? new Date(spec.createdAt) : new Date(),
  };
}

/** Aborts when any of the given signals does; undefined when none is given. */
export function anySignal(signals: readonly (AbortSignal | undefined)[]): AbortSignal | undefined {
  const present = signals.filter((s): s is AbortSignal => s !== undefined);
  if (present.length <= 1) return present[0];
  return AbortSignal.any(present);
}

export function metadataFor(item: Prepared): OutputMetadata {
  const name = item.finalPath.split(/[\\/]/).pop() ?? '';
  return {
    title: name.replace(/\.mp4$/i, ''),
    comment: `Video Mixer Pro; project ${item.spec.projectName}; combination ${item.index}: ${item.spec.combination.clipIds.join(' + ')}; seed ${item.seed}`,
    creationTime: item.createdAt.toISOString(),
  };
}

export function failure(item: Prepared, error: unknown): Error {
  if (error instanceof CancelledError || error instanceof RenderFailedError) return error;
  const output = item.finalPath;
  if (error instanceof NormaliseFailedError) {
    return new RenderFailedError(
      `Output ${item.index + 1} (${output}) failed: clip "${error.clipPath}" could not be prepared. ${error.message}`,
      { index: item.index, output, clipId: error.clipId, clipPath: error.clipPath },
      error,
    );
  }
  const reason = error instanceof Error ? error.message : String(error);
  return new RenderFailedError(
    `Output ${item.index + 1} (${output}) failed while rendering clips ${item.clips.map((c) => c.path).join(', ')}: ${reason}`,
    { index: item.index, output },
    error,
  );
}
