import { homedir } from 'node:os';
import { join } from 'node:path';
import { RenderSettings } from '@vmp/shared';
import { AppSettings, type RenderSettingsPatch } from '@vmp/shared/api';

export const DEFAULT_MAX_CLIP_BYTES = 4 * 1024 ** 3;

export function defaultAppSettings(defaultOutputDir: string): AppSettings {
  return { concurrency: 2, defaultOutputDir, maxClipBytes: DEFAULT_MAX_CLIP_BYTES };
}

/** Where outputs go unless the user says otherwise: ~/Videos/Video Mixer Pro. */
export function defaultOutputRoot(): string {
  return join(homedir(), 'Videos', 'Video Mixer Pro');
}

/** Stored settings over defaults; a stored value that no longer validates falls back to the default. */
export function resolveAppSettings(stored: unknown, defaults: AppSettings): AppSettings {
  const merged = { ...defaults, ...(typeof stored === 'object' && stored ? stored : {}) };
  const parsed = AppSettings.safeParse(merged);
  return parsed.success ? parsed.data : defaults;
}

/**
 * Applies a settings patch field by field (nested objects merged). `null` clears optional fields
 * (count: every combination; audio.musicPath: no music file). The result is validated again.
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
