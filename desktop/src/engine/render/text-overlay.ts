import { createHash } from 'node:crypto';
import { mkdir, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Profile } from '../profiles/profile.ts';
import { buildAss, clipEvents, type TextEvent } from '../text/ass.ts';
import { prepareFonts } from '../text/fonts.ts';
import { type ClipText, subtitlesFilter } from '../text/overlay.ts';

/**
 * Writes the ASS script for text over a run of clips (one clip when normalising; the whole output for `unique`)
 * into `<cacheDir>/text/` and returns the filter and environment FFmpeg draws it with. Scripts are named by their
 * content and kept, so every logged command can be run again as it stands.
 */
export async function prepareTextFilter(
  cacheDir: string,
  profile: Profile,
  clips: readonly { text: ClipText | undefined; duration: number }[],
  speed = 1,
): Promise<{ filter: string; env: Record<string, string> } | undefined> {
  const events: TextEvent[] = [];
  let offset = 0;
  let first: ClipText | undefined;
  for (const { text, duration } of clips) {
    if (text) {
      first ??= text;
      events.push(...clipEvents(text, duration, offset, speed));
    }
    offset += duration;
  }
  if (!first || events.length === 0) return undefined;
  const ass = buildAss({
    canvas: profile,
    ...(first.zone ? { zone: first.zone } : {}),
    captionStyle: first.captionStyle,
    headlineStyle: first.headlineStyle,
    events,
  });
  const fonts = await prepareFonts(cacheDir);
  const dir = join(cacheDir, 'text');
  await mkdir(dir, { recursive: true });
  const path = join(dir, `${createHash('sha256').update(ass).digest('hex').slice(0, 24)}.ass`);
  const temp = `${path}.${process.pid}-${Math.random().toString(16).slice(2)}.tmp`;
  await writeFile(temp, ass);
  await rename(temp, path);
  return { filter: subtitlesFilter(path, fonts.dir), env: fonts.env };
}
