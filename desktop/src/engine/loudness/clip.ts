import type { Profile } from '../profiles/profile.ts';
import type { RenderSource } from '../render/types.ts';
import { type LoudnessPlan, NO_CHANGE } from './gain.ts';
import type { LoudnessStore } from './store.ts';

/** The gain a clip's intermediate gets for this profile: none when loudness is off or the clip has no sound. */
export async function clipLoudness(
  store: LoudnessStore,
  source: RenderSource,
  profile: Profile,
  signal?: AbortSignal,
): Promise<LoudnessPlan> {
  if (profile.loudness !== 'normalize' || !source.info.audio) return NO_CHANGE;
  return (await store.get(source.hash, source.path, signal ? { signal } : {})).plan;
}
