import { createHash } from 'node:crypto';
import { stat } from 'node:fs/promises';
import type { AudioSettings } from '@vmp/shared';
import { AUDIO_OUTPUT_ARGS } from '../profiles/profile.ts';
import { intermediateName } from './cache.ts';
import type { Prepared } from './prepare.ts';

/** Bump when what the key covers changes meaning (an old entry must never be taken for a new one). */
const SHARED_AUDIO_VERSION = 1;

/** Entries kept at most (one per distinct audio; a 1,000-output job of text variants has a few hundred). */
const MAX_ENTRIES = 10_000;

type OutputAudio = Pick<AudioSettings, 'mode' | 'musicPath' | 'musicVolume' | 'clipVolume'>;

/**
 * What an output's audio is made of: its clips' audio as normalised (their intermediates without the text, which
 * only touches the picture), its length in samples, the audio settings and the encoder's arguments. Outputs that
 * differ only in burned-in text (headline and caption variants) have the same key, so the same AAC bytes.
 * Undefined with music: the key would have to cover the music file's content.
 */
export function sharedAudioKey(item: Prepared, audio: OutputAudio): string | undefined {
  if (audio.mode === 'music' || !item.strategy.sharesAudio) return undefined;
  const clips = item.clips.map((clip) => intermediateName(clip.hash, item.profile));
  const parts = [SHARED_AUDIO_VERSION, audio.mode, audio.clipVolume, AUDIO_OUTPUT_ARGS, item.samples, clips];
  return createHash('sha256').update(JSON.stringify(parts)).digest('hex');
}

interface Entry {
  path: string;
  size: number;
  mtimeMs: number;
}

/**
 * Finished outputs by the key of their audio: an output whose audio is already in a finished file copies that
 * file's AAC stream (the same bytes its own encoder would make, joins and all) instead of encoding it again. Only
 * files finished before a command is built are used, so no process waits for another. A file changed or gone
 * since it was finished is not used.
 */
export class SharedAudio {
  private readonly entries = new Map<string, Entry>();

  async remember(key: string | undefined, path: string): Promise<void> {
    if (!key) return;
    const info = await stat(path).catch(() => undefined);
    if (!info) return;
    this.entries.delete(key);
    this.entries.set(key, { path, size: info.size, mtimeMs: info.mtimeMs });
    if (this.entries.size > MAX_ENTRIES) this.entries.delete(this.entries.keys().next().value!);
  }

  /** A finished output carrying this audio, unchanged since it was finished; undefined: encode it. */
  async lookup(key: string | undefined): Promise<string | undefined> {
    if (!key) return undefined;
    const entry = this.entries.get(key);
    if (!entry) return undefined;
    const info = await stat(entry.path).catch(() => undefined);
    if (info?.size === entry.size && info.mtimeMs === entry.mtimeMs) return entry.path;
    this.entries.delete(key);
    return undefined;
  }

  forget(key: string | undefined): void {
    if (key) this.entries.delete(key);
  }
}
