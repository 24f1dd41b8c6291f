import { existsSync } from 'node:fs';
import { basename, extname, isAbsolute, join, resolve } from 'node:path';
import type { CaptionCue } from '@vmp/shared';
import type { Clip } from '@vmp/shared/api';
import { ValidationError } from '@vmp/shared/errors';
import { clipVideoDuration } from '../engine/profiles/profile.ts';
import { fitCuesToClip, parseCaptions } from '../engine/text/cues.ts';
import { loadCaptions } from '../engine/text/load.ts';
import type { CoreContext } from './context.ts';

/** `clip.srt` or `clip.vtt` beside a clip (same folder, same base name), if there is one. */
export function captionFileBeside(clipPath: string): string | undefined {
  const stem = join(resolve(clipPath, '..'), basename(clipPath, extname(clipPath)));
  return ['.srt', '.vtt', '.SRT', '.VTT'].map((ext) => `${stem}${ext}`).find((f) => existsSync(f));
}

/** Seconds the clip's captions may run to: its video length (0 until analysed: then nothing is cut). */
function clipLength(clip: Clip): number {
  return clip.info ? clipVideoDuration(clip.info) : Number.POSITIVE_INFINITY;
}

/** Reads a caption file into a clip (cues past its end cut, with warnings); throws TextFileError naming file+line. */
export async function importCaptionsInto(
  ctx: CoreContext,
  clip: Clip,
  file: string,
): Promise<{ clip: Clip; warnings: string[] }> {
  return storeCaptions(ctx, clip, await loadCaptions(file, clipLength(clip)));
}

/** Caption text sent by the browser build; `name` (.srt or .vtt) picks the format and names errors. */
export function importCaptionTextInto(ctx: CoreContext, clip: Clip, name: string, content: string) {
  return storeCaptions(ctx, clip, fitCuesToClip(parseCaptions(content, name), clipLength(clip), name));
}

function storeCaptions(
  ctx: CoreContext,
  clip: Clip,
  { cues, warnings }: { cues: CaptionCue[]; warnings: string[] },
): { clip: Clip; warnings: string[] } {
  const updated = ctx.store.clips.update(clip.id, { captions: cues.length ? cues : null });
  ctx.hub.emit({ type: 'clip.updated', clip: updated });
  return { clip: updated, warnings };
}

/**
 * Edited cues fitted to the clip as an imported file's are (fitCuesToClip: cut at its end, or left out, each with a
 * warning naming the clip), sorted by start so the list reads in play order.
 */
export function fitEditedCues(clip: Clip, cues: readonly CaptionCue[]): { cues: CaptionCue[]; warnings: string[] } {
  const sorted = [...cues].sort((a, b) => a.start - b.start);
  return fitCuesToClip(sorted, clipLength(clip), clip.name);
}

export function captionHandlers(ctx: CoreContext) {
  const { store } = ctx;
  return {
    async 'clips.setCaptions'({ clipId, cues }: { clipId: string; cues: CaptionCue[] }): Promise<Clip> {
      const clip = store.clips.get(clipId);
      const { cues: sorted, warnings } = fitEditedCues(clip, cues);
      for (const warning of warnings) ctx.warn(warning);
      const updated = store.clips.update(clipId, { captions: sorted.length ? sorted : null });
      ctx.hub.emit({ type: 'clip.updated', clip: updated });
      ctx.projectChanged(clip.projectId);
      return updated;
    },
    async 'clips.importCaptions'(
      input: { clipId: string } & ({ path: string } | { file: { name: string; content: string } }),
    ): Promise<{ clip: Clip; warnings: string[] }> {
      const clip = store.clips.get(input.clipId);
      let imported: { clip: Clip; warnings: string[] };
      if ('file' in input) {
        imported = importCaptionTextInto(ctx, clip, input.file.name, input.file.content);
      } else {
        if (!isAbsolute(input.path)) throw new ValidationError('path: must be an absolute path.', { field: 'path' });
        imported = await importCaptionsInto(ctx, clip, resolve(input.path));
      }
      ctx.projectChanged(clip.projectId);
      return imported;
    },
  };
}
