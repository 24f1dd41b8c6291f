import { homedir } from 'node:os';
import { join } from 'node:path';
import { AppSettings } from '@vmp/shared/api';

export const DEFAULT_MAX_CLIP_BYTES = 4 * 1024 ** 3;

export function defaultAppSettings(defaultOutputDir: string): AppSettings {
  return { concurrency: 2, defaultOutputDir, maxClipBytes: DEFAULT_MAX_CLIP_BYTES, farmUrl: null };
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
