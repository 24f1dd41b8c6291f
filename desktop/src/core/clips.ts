import { constants, type Stats, statSync } from 'node:fs';
import { access, stat } from 'node:fs/promises';
import { basename, isAbsolute, resolve } from 'node:path';
import type { ClipProblem } from '@vmp/shared';
import type { Clip } from '@vmp/shared/api';
import { ValidationError } from '@vmp/shared/errors';
import { mapLimit } from '../util/map-limit.ts';
import { captionFileBeside, captionHandlers, importCaptionsInto } from './captions.ts';
import {
  ANALYSE_CONCURRENCY,
  analyseStored,
  analysisBatches,
  clipStatus,
  removeUnusedThumbnails,
} from './clip-analysis.ts';
import type { AreaHandlers, CoreContext } from './context.ts';
import { NotFoundError } from './errors.ts';

/** What `clips.recheck` sets for a clip whose file is gone, changed or back; null when nothing changes. */
async function recheckOne(
  ctx: CoreContext,
  clip: Clip,
): Promise<{ status: Clip['status']; problems: ClipProblem[] } | null> {
  const { store } = ctx;
  let stats: Stats | undefined;
  try {
    stats = statSync(clip.path, { throwIfNoEntry: false });
  } catch {
    // A symlink loop or a path through a file now: unreachable like a missing file.
  }
  let next: { status: Clip['status']; problems: ClipProblem[] } | null = null;
  if (!stats?.isFile()) {
    next = {
      status: 'missing',
      problems: [
        {
          code: 'MISSING',
          message: `"${clip.name}" is no longer at ${clip.path}. It may have been moved, renamed or deleted: relink it.`,
        },
      ],
    };
  } else if (stats.size !== clip.size || stats.mtimeMs !== store.clips.mtime(clip.id) || clip.status === 'changed') {
    const hash = await ctx.engine.hash(clip.path).catch(() => null);
    if (clip.hash && hash !== clip.hash) {
      next = {
        status: 'changed',
        problems: [
          {
            code: 'CHANGED',
            message: `"${clip.name}" changed on disk since it was added. Relink it to use the new content.`,
          },
        ],
      };
    } else {
      store.clips.update(clip.id, { mtimeMs: stats.mtimeMs });
    }
  }
  if (!next && (clip.status === 'missing' || clip.status === 'changed')) {
    // Back in place, unchanged: restore what the last analysis said.
    const problems = clip.problems.filter((p) => p.code !== 'MISSING' && p.code !== 'CHANGED');
    next = { status: clipStatus(problems), problems };
  }
  return next;
}

/** Why a path cannot be used as a clip, naming it; ENOENT keeps its own wording (see callers). */
function unreadableReason(path: string, error: NodeJS.ErrnoException): string {
  switch (error.code) {
    case 'ELOOP':
      return `${path} cannot be opened: too many symbolic links (a symlink loop). Choose the video file itself.`;
    case 'ENOTDIR':
      return `${path} cannot be opened: a part of this path is a file, not a folder.`;
    case 'ENAMETOOLONG':
      return `${path} cannot be opened: the path is too long for this system. Move the file to a shorter path.`;
    case 'EACCES':
    case 'EPERM':
      return `${path} cannot be read (permission denied). Give this app read access to it, or copy it elsewhere.`;
    default:
      return `${path} cannot be read (${error.code ?? error.message}).`;
  }
}

type PathCheck = { ok: true; stats: Stats } | { ok: false; missing: boolean; reason: string };

/** Whether `path` is a readable regular file; never throws (each bad path is a problem of its own). */
async function checkClipPath(path: string): Promise<PathCheck> {
  let stats: Stats | undefined;
  try {
    stats = await stat(path);
    if (stats.isFile()) await access(path, constants.R_OK);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT' && !stats) {
      return { ok: false, missing: true, reason: 'File not found.' };
    }
    return { ok: false, missing: false, reason: unreadableReason(path, error as NodeJS.ErrnoException) };
  }
  if (stats.isDirectory()) {
    return { ok: false, missing: false, reason: `${path} is a folder; choose the video files inside it.` };
  }
  if (!stats.isFile()) {
    return {
      ok: false,
      missing: false,
      reason: `${path} is not a regular file (a pipe, device or socket): choose a video file.`,
    };
  }
  return { ok: true, stats };
}

/** clips.*: import (with analysis), remove, relink and recheck clips. */
export function clipHandlers(ctx: CoreContext): AreaHandlers<'clips'> {
  const { store, hub } = ctx;
  return {
    ...captionHandlers(ctx),
    async 'clips.import'({ projectId, paths, groupId }) {
      store.projects.get(projectId);
      if (groupId) {
        const group = store.groups.get(groupId);
        if (group.projectId !== projectId)
          throw new NotFoundError(`groupId: group ${groupId} is not part of this project.`);
      }
      // Each path's verdict in input order: skipped with a reason, or a file to add.
      const verdicts: ({ path: string; reason: string } | { path: string; check: Promise<PathCheck> })[] = [];
      const seen = store.clips.paths(projectId);
      for (const raw of paths) {
        if (!isAbsolute(raw)) {
          verdicts.push({ path: raw, reason: 'Not an absolute path.' });
          continue;
        }
        const path = resolve(raw);
        if (seen.has(path)) {
          verdicts.push({ path, reason: 'Already in this project.' });
          continue;
        }
        seen.add(path);
        // Checked off the main thread (libuv's file system threads), all at once.
        verdicts.push({ path, check: checkClipPath(path) });
      }
      const checks = await Promise.all(verdicts.map((v) => ('check' in v ? v.check : null)));
      // Meanwhile the project may have gone, or another import added some of these paths.
      store.projects.get(projectId);
      const present = store.clips.paths(projectId);
      const skipped: { path: string; reason: string }[] = [];
      const files: { path: string; name: string; size: number }[] = [];
      verdicts.forEach((v, i) => {
        const check = checks[i];
        if ('reason' in v) skipped.push(v);
        else if (present.has(v.path)) skipped.push({ path: v.path, reason: 'Already in this project.' });
        else if (check?.ok) files.push({ path: v.path, name: basename(v.path), size: check.stats.size });
        else if (check) skipped.push({ path: v.path, reason: check.reason });
      });
      // One transaction for all of them.
      const added = files.length > 0 ? store.clips.insertAnalysing(projectId, files) : [];
      if (groupId && added.length > 0) {
        const group = store.groups.get(groupId);
        store.groups.setClips(groupId, [...group.clipIds, ...added.map((c) => c.id)]);
      }
      if (added.length > 0) ctx.projectChanged(projectId);
      const batches = await mapLimit(analysisBatches(added), ANALYSE_CONCURRENCY, async (batch) => {
        let analysed: Clip[];
        try {
          analysed = await analyseStored(
            ctx,
            batch.map((clip) => ({ clip, path: clip.path })),
          );
        } catch (error) {
          // FFmpeg missing or similar: keep the clips, say why.
          return batch.flatMap((clip) => {
            const problems: ClipProblem[] = [
              { code: 'UNDECODABLE', message: `"${clip.name}" could not be analysed: ${(error as Error).message}` },
            ];
            try {
              const updated = store.clips.update(clip.id, { problems, status: 'problem' });
              hub.emit({ type: 'clip.updated', clip: updated });
              return [updated];
            } catch {
              return []; // removed meanwhile
            }
          });
        }
        const withCaptions: Clip[] = [];
        for (const clip of analysed) {
          // clip.srt / clip.vtt beside it: its cues come along. A broken file is reported, the clip still added.
          const captions = captionFileBeside(clip.path);
          if (!captions) {
            withCaptions.push(clip);
            continue;
          }
          try {
            const { clip: updated, warnings } = await importCaptionsInto(ctx, clip, captions);
            for (const reason of warnings) skipped.push({ path: captions, reason });
            withCaptions.push(updated);
          } catch (error) {
            skipped.push({ path: captions, reason: (error as Error).message });
            withCaptions.push(clip);
          }
        }
        return withCaptions;
      });
      const clips = batches.flat();
      if (added.length > 0) ctx.projectChanged(projectId);
      return { clips, skipped };
    },
    async 'clips.remove'({ projectId, clipIds }) {
      store.projects.get(projectId);
      const thumbs = clipIds.flatMap((id) => {
        try {
          return store.clips.get(id).projectId === projectId ? [store.clips.thumbnail(id)] : [];
        } catch {
          return [];
        }
      });
      store.clips.remove(projectId, clipIds);
      await removeUnusedThumbnails(ctx, thumbs);
      ctx.projectChanged(projectId);
      return { ok: true as const };
    },
    async 'clips.relink'({ clipId, path: raw }) {
      const clip = store.clips.get(clipId);
      if (!isAbsolute(raw)) throw new ValidationError('path: must be an absolute path.', { field: 'path' });
      const path = resolve(raw);
      const check = await checkClipPath(path);
      if (!check.ok && check.missing) {
        throw new NotFoundError(`path: ${path} was not found (or is not a file).`, { field: 'path', path });
      }
      if (!check.ok) throw new ValidationError(`path: ${check.reason}`, { field: 'path', path });
      const other = store.clips.findByPath(clip.projectId, path);
      if (other && other.id !== clipId) {
        throw new ValidationError(`path: ${path} is already clip "${other.name}" in this project.`, { field: 'path' });
      }
      const [updated] = await analyseStored(ctx, [{ clip, path }]);
      if (!updated) throw new NotFoundError(`Clip ${clipId} does not exist (it was removed while relinking).`);
      ctx.projectChanged(clip.projectId);
      return updated;
    },
    async 'clips.recheck'({ projectId }) {
      store.projects.get(projectId);
      const changed: Clip[] = [];
      for (const clip of store.clips.list(projectId)) {
        if (clip.status === 'analysing') continue;
        const next = await recheckOne(ctx, clip);
        if (next && (next.status !== clip.status || JSON.stringify(next.problems) !== JSON.stringify(clip.problems))) {
          const updated = store.clips.update(clip.id, next);
          hub.emit({ type: 'clip.updated', clip: updated });
          changed.push(updated);
        }
      }
      if (changed.length > 0) ctx.projectChanged(projectId);
      return store.clips.list(projectId);
    },
  };
}
