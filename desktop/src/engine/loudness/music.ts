import type { AudioSettings, RenderSettings } from '@vmp/shared';
import { CancelledError } from '../errors.ts';
import { contentKey } from '../hash/content-key.ts';
import { dbToLinear, loudnessPlan } from './gain.ts';
import type { LoudnessStats } from './measure.ts';
import type { LoudnessStore } from './store.ts';

type OutputAudio = Pick<AudioSettings, 'mode' | 'musicPath' | 'musicVolume' | 'clipVolume'>;

/**
 * The audio settings an output is rendered with. With loudness on, the clips arrive at the target loudness, so the
 * music is brought there too (measured once per file) before its volume applies: a 30 % music track stays 30 % of
 * the clips' level whatever level it was mastered at. Off, or no music: the settings as they are.
 */
export async function outputAudio(
  store: LoudnessStore,
  settings: Pick<RenderSettings, 'audio' | 'loudness'>,
  signal?: AbortSignal,
): Promise<OutputAudio> {
  const { audio } = settings;
  if (settings.loudness !== 'normalize' || audio.mode !== 'music' || !audio.musicPath) return audio;
  let stats: LoudnessStats;
  try {
    stats = await store.get(await contentKey(audio.musicPath), audio.musicPath, signal ? { signal } : {});
  } catch (error) {
    if (error instanceof CancelledError) throw error;
    // Unreadable music: render as set, and let the render itself name the file and the problem.
    return audio;
  }
  // No limiter here: the music sits under the clips at a fraction of their level.
  const { gainDb } = loudnessPlan(stats);
  return { ...audio, musicVolume: audio.musicVolume * dbToLinear(gainDb) };
}
