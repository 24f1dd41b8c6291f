import { RenderSettings } from '../media.ts';
import type { RenderSettingsPatch } from './methods.ts';

/**
 * Applies a settings patch field by field (nested objects merged). `null` clears optional fields
 * (count: every combination; audio.musicPath: no music file). The result is validated again (throws a ZodError).
 * The core saves what this returns; the renderer shows it at once while the call is under way.
 */
export function mergeRenderSettings(current: RenderSettings, patch: RenderSettingsPatch): RenderSettings {
  const { variations, audio, count, ...flat } = patch;
  const next: Record<string, unknown> = { ...current, ...flat };
  if (variations) next.variations = { ...current.variations, ...variations };
  if (audio) {
    const { musicPath, ...rest } = audio;
    const merged: Record<string, unknown> = { ...current.audio, ...rest };
    if (musicPath === null) delete merged.musicPath;
    else if (musicPath !== undefined) merged.musicPath = musicPath;
    next.audio = merged;
  }
  if (count === null) delete next.count;
  else if (count !== undefined) next.count = count;
  return RenderSettings.parse(next);
}
