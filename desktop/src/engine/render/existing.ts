import { stat } from 'node:fs/promises';
import { mapLimit } from '../../util/map-limit.ts';
import { CancelledError } from '../errors.ts';
import { probeFile } from '../probe/probe.ts';
import { resolveProfile } from '../profiles/profile.ts';
import { outputSeed } from './naming.ts';
import { normalisePlan } from './normalise-args.ts';
import { finalPathOf } from './spec.ts';
import { strategyOf } from './strategy/index.ts';
import type { OutputResult, OutputSpec } from './types.ts';

/** Seconds an output of this spec lasts: its clips' normalised frames, after the unique strategy's speed change. */
export function expectedDuration(spec: OutputSpec): number | null {
  const profile = resolveProfile(spec.settings);
  const byId = new Map(spec.sources.map((s) => [s.id, s]));
  let frames = 0;
  for (const id of spec.combination.clipIds) {
    const source = byId.get(id);
    if (!source) return null;
    frames += normalisePlan(source.info, profile).frames;
  }
  const seed = outputSeed(spec.settings.seed, spec.combination.index);
  return strategyOf(spec.settings).outputFrames(frames, seed, spec.settings) / profile.fps;
}

/**
 * The output of `spec` when a complete, valid one is already at its path (a run stopped by a full disk or Ctrl-C,
 * then started again): FFmpeg can read it, its frame size is the profile's and it lasts as long as planned (within
 * two frames). Outputs are renamed into place only once complete, so anything else there is not ours: null.
 */
export async function existingOutput(spec: OutputSpec, signal?: AbortSignal): Promise<OutputResult | null> {
  const path = finalPathOf(spec);
  const duration = expectedDuration(spec);
  if (duration === null) return null;
  const stats = await stat(path).catch(() => null);
  if (!stats?.isFile() || stats.size === 0) return null;
  const profile = resolveProfile(spec.settings);
  try {
    const info = await probeFile(path, signal ? { signal } : {});
    if (info.video?.width !== profile.width || info.video?.height !== profile.height) return null;
    if (Math.abs(info.duration - duration) > 2 / profile.fps) return null;
  } catch (error) {
    if (error instanceof CancelledError) throw error;
    return null;
  }
  const paths = new Map(spec.sources.map((s) => [s.id, s.path]));
  return {
    index: spec.combination.index,
    path,
    clipIds: [...spec.combination.clipIds],
    sources: spec.combination.clipIds.map((id) => paths.get(id) ?? id),
    duration,
    seed: outputSeed(spec.settings.seed, spec.combination.index),
  };
}

/** The outputs of `specs` already complete on disk, by output index. */
export async function existingOutputs(
  specs: readonly OutputSpec[],
  signal?: AbortSignal,
): Promise<Map<number, OutputResult>> {
  const found = await mapLimit(specs, 4, (spec) => existingOutput(spec, signal));
  return new Map(found.filter((r): r is OutputResult => r !== null).map((r) => [r.index, r]));
}
