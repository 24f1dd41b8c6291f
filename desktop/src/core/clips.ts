import { statSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import { basename, isAbsolute, resolve } from 'node:path';
import type { ClipProblem } from '@vmp/shared';
import type { Clip } from '@vmp/shared/api';
import { ValidationError } from '@vmp/shared/errors';
import { mapLimit } from '../util/map-limit.ts';
import { captionFileBeside, captionHandlers, importCaptionsInto } from './captions.ts';
import type { AreaHandlers, CoreContext } from './context.ts';
import { NotFoundError } from './errors.ts';

const ANALYSE_CONCURRENCY = 2;

function clipStatus(problems: ClipProblem[]): Clip['status'] {
  return problems.length === 0 ? 'ok' : 'problem';
}

/** Analyses a clip that is in the store, saves the result and its thumbnail, emits clip.updated. */
async function analyseStored(ctx: CoreContext, clip: Clip, path: string): Promise<Clip> {
  const { engine, store } = ctx;
  const stats = statSync(path, { throwIfNoEntry: false });
  const analysis = await engine.analyse(path, { maxBytes: ctx.settings().maxClipBytes });
  let thumbnail: string | null = null;
  if (analysis.info?.video && analysis.hash && analysis.problems.length === 0) {
    try {
      // Keyed by content: the same clip in two projects (or re-imported) shares one still.
      const options = { cacheDir: ctx.thumbsDir, key: analysis.hash, duration: analysis.info.duration };
      thumbnail = await engine.thumbnail(path, options);
    } catch {
      // A clip without a thumbnail still mixes; the UI shows a placeholder.
    }
  }
  const updated = store.clips.update(clip.id, {
    path,
    name: basename(path),
    hash: analysis.hash,
    size: analysis.size,
    mtimeMs: stats?.mtimeMs ?? null,
    info: analysis.info,
    problems: analysis.problems,
    status: clipStatus(analysis.problems),
    thumbnail,
  });
  ctx.hub.emit({ type: 'clip.updated', clip: updated });
  return updated;
}

/** Imports cut short by a crash or quit: analyses those clips again, in the background. */
export function resumeInterruptedAnalyses(ctx: CoreContext): void {
  const interrupted = ctx.store.clips.withStatus('analysing');
  if (interrupted.length === 0) return;
  void mapLimit(interrupted, ANALYSE_CONCURRENCY, async (clip) => {
    try {
      await analyseStored(ctx, clip, clip.path);
      ctx.hub.emit({ type: 'project.changed', projectId: clip.projectId });
    } catch {
      // Closed meanwhile, or FFmpeg missing: the clip stays 'analysing' and is retried at the next start.
    }
  });
}

/** What `clips.recheck` sets for a clip whose file is gone, changed or back; null when nothing changes. */
async function recheckOne(
  ctx: CoreContext,
  clip: Clip,
): Promise<{ status: Clip['status']; problems: ClipProblem[] } | null> {
  const { store } = ctx;
  const stats = statSync(clip.path, { throwIfNoEntry: false });
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
      const skipped: { path: string; reason: string }[] = [];
      const added: Clip[] = [];
      const seen = new Set<string>();
      for (const raw of paths) {
        if (!isAbsolute(raw)) {
          skipped.push({ path: raw, reason: 'Not an absolute path.' });
          continue;
        }
        const path = resolve(raw);
        if (seen.has(path) || store.clips.findByPath(projectId, path)) {
          skipped.push({ path, reason: 'Already in this project.' });
          continue;
        }
        seen.add(path);
        const stats = statSync(path, { throwIfNoEntry: false });
        if (!stats) {
          skipped.push({ path, reason: 'File not found.' });
          continue;
        }
        if (stats.isDirectory()) {
          skipped.push({ path, reason: 'This is a folder; choose the video files inside it.' });
          continue;
        }
        added.push(
          store.clips.insert(projectId, { path, name: basename(path), size: stats.size, status: 'analysing' }),
        );
      }
      if (groupId && added.length > 0) {
        const group = store.groups.get(groupId);
        store.groups.setClips(groupId, [...group.clipIds, ...added.map((c) => c.id)]);
      }
      if (added.length > 0) ctx.projectChanged(projectId);
      const clips = await mapLimit(added, ANALYSE_CONCURRENCY, async (clip) => {
        try {
          const analysed = await analyseStored(ctx, clip, clip.path);
          // clip.srt / clip.vtt beside it: its cues come along. A broken file is reported, the clip still added.
          const captions = captionFileBeside(clip.path);
          if (!captions) return analysed;
          try {
            const { clip: withCaptions, warnings } = await importCaptionsInto(ctx, analysed, captions);
            for (const reason of warnings) skipped.push({ path: captions, reason });
            return withCaptions;
          } catch (error) {
            skipped.push({ path: captions, reason: (error as Error).message });
            return analysed;
          }
        } catch (error) {
          // FFmpeg missing or similar: keep the clip, say why.
          const problems: ClipProblem[] = [
            { code: 'UNDECODABLE', message: `"${clip.name}" could not be analysed: ${(error as Error).message}` },
          ];
          const updated = store.clips.update(clip.id, { problems, status: 'problem' });
          hub.emit({ type: 'clip.updated', clip: updated });
          return updated;
        }
      });
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
      await Promise.all(thumbs.map((t) => (t ? rm(t, { force: true }) : undefined)));
      ctx.projectChanged(projectId);
      return { ok: true as const };
    },
    async 'clips.relink'({ clipId, path: raw }) {
      const clip = store.clips.get(clipId);
      if (!isAbsolute(raw)) throw new ValidationError('path: must be an absolute path.', { field: 'path' });
      const path = resolve(raw);
      const stats = statSync(path, { throwIfNoEntry: false });
      if (!stats?.isFile()) {
        throw new NotFoundError(`path: ${path} was not found (or is not a file).`, { field: 'path', path });
      }
      const other = store.clips.findByPath(clip.projectId, path);
      if (other && other.id !== clipId) {
        throw new ValidationError(`path: ${path} is already clip "${other.name}" in this project.`, { field: 'path' });
      }
      const updated = await analyseStored(ctx, clip, path);
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
