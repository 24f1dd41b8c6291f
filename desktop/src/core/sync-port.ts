import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { ClipProblem } from '@vmp/shared';
import { CaptionCue, RenderSettings } from '@vmp/shared';
import type { Clip } from '@vmp/shared/api';
import { z } from 'zod';
import { sanitizeFileName } from '../engine/render/naming.ts';
import type { ProjectDoc, ProjectSyncPort } from '../licensing/project-sync.ts';
import { exportResultsPart, importResultsPart } from '../results/sync-doc.ts';
import type { CoreContext } from './context.ts';

function exists(ctx: CoreContext, projectId: string): boolean {
  try {
    ctx.store.projects.get(projectId);
    return true;
  } catch {
    return false;
  }
}

/** A file with this content somewhere on this machine (another project, or the old place), or null. */
function localCopy(ctx: CoreContext, hash: string): Clip | null {
  for (const project of ctx.store.projects.list()) {
    for (const clip of ctx.store.clips.list(project.id)) {
      if (clip.hash === hash && clip.status === 'ok' && existsSync(clip.path)) return clip;
    }
  }
  return null;
}

/** A document's cues when they are valid cues (a newer app may send more), else none. */
function parseCaptions(value: unknown): CaptionCue[] | null {
  const parsed = z.array(CaptionCue).safeParse(value ?? []);
  return parsed.success && parsed.data.length ? parsed.data : null;
}

/**
 * Projects as sync documents and back, over the store. Membership is by content hash: a clip whose content is not
 * on this machine is added as missing (the library offers relink), never as a path from another machine.
 */
export function syncPort(ctx: CoreContext): ProjectSyncPort {
  const { store } = ctx;
  return {
    listProjectIds: () => store.projects.list().map((p) => p.id),
    exportDoc(projectId) {
      if (!exists(ctx, projectId)) return null;
      const project = store.projects.get(projectId);
      const clips = store.clips.list(projectId).filter((c) => c.hash);
      const hashOf = new Map(clips.map((c) => [c.id, c.hash!]));
      const seen = new Set<string>();
      const docClips: ProjectDoc['clips'] = [];
      for (const c of [...clips].sort((a, b) => (a.hash! < b.hash! ? -1 : 1))) {
        if (seen.has(c.hash!)) continue;
        seen.add(c.hash!);
        docClips.push({
          hash: c.hash!,
          name: c.name,
          size: c.size,
          info: c.info,
          ...(c.captions?.length ? { captions: c.captions } : {}),
        });
      }
      const { watermark: _w, ...rest } = project.settings;
      const { musicPath: _m, ...audio } = rest.audio;
      const settings = { ...rest, audio };
      return {
        schema: 1,
        name: project.name,
        mode: project.mode,
        settings,
        clips: docClips,
        groups: [...store.groups.list(projectId)]
          .sort((a, b) => a.position - b.position)
          .map((g) => ({
            name: g.name,
            clips: g.clipIds.flatMap((id) => (hashOf.has(id) ? [hashOf.get(id)!] : [])),
            ...(g.headlines?.length ? { headlines: g.headlines } : {}),
          })),
        rules: store.rules
          .list(projectId)
          .flatMap((r) =>
            hashOf.has(r.clipA) && hashOf.has(r.clipB) ? [[hashOf.get(r.clipA)!, hashOf.get(r.clipB)!]] : [],
          )
          .map(([a, b]) => [a, b] as [string, string]),
        ...exportResultsPart(store, projectId, hashOf),
        modifiedAt: project.updatedAt,
      };
    },
    importDoc(localId, doc) {
      // Watermark text and the music file are this machine's (a path elsewhere, or text a paid render would draw).
      const current = localId && exists(ctx, localId) ? store.projects.get(localId).settings : null;
      const { watermark: _w, ...incoming } = doc.settings as Record<string, unknown>;
      const audio = { ...((incoming.audio as Record<string, unknown> | undefined) ?? {}) };
      delete audio.musicPath;
      if (current?.audio.musicPath) audio.musicPath = current.audio.musicPath;
      const settings = RenderSettings.parse({
        ...incoming,
        audio,
        ...(current?.watermark ? { watermark: current.watermark } : {}),
      });
      const id = store.transaction(() => {
        const projectId =
          localId && exists(ctx, localId)
            ? store.projects.update(localId, { name: doc.name, mode: doc.mode, settings }).id
            : store.projects.create({
                name: doc.name,
                mode: doc.mode,
                settings,
                outputDir: join(ctx.settings().defaultOutputDir, sanitizeFileName(doc.name, 60)),
              }).id;
        const wanted = new Set(doc.clips.map((c) => c.hash));
        const byHash = new Map<string, string>();
        const stale: string[] = [];
        for (const clip of store.clips.list(projectId)) {
          if (clip.hash && wanted.has(clip.hash) && !byHash.has(clip.hash)) byHash.set(clip.hash, clip.id);
          else if (clip.hash) stale.push(clip.id);
        }
        if (stale.length) store.clips.remove(projectId, stale);
        for (const c of doc.clips) {
          const captions = parseCaptions(c.captions);
          if (byHash.has(c.hash)) {
            store.clips.update(byHash.get(c.hash)!, { captions });
            continue;
          }
          const copy = localCopy(ctx, c.hash);
          const missing: ClipProblem = {
            code: 'MISSING',
            message: `"${c.name}" is not on this machine (synced from another one): relink it to its file.`,
          };
          const clip = store.clips.insert(
            projectId,
            copy
              ? { path: copy.path, name: copy.name, hash: c.hash, size: copy.size, info: copy.info, status: 'ok' }
              : {
                  // A placeholder path inside the data folder, unique per clip, never a file; nothing of it comes from
                  // the other machine but the hash (64 hex digits, checked when pulled).
                  path: join(ctx.dataDir, 'missing-media', c.hash),
                  name: c.name,
                  hash: c.hash,
                  size: c.size,
                  info: (c.info as Clip['info']) ?? null,
                  problems: [missing],
                  status: 'missing',
                },
          );
          if (captions) store.clips.update(clip.id, { captions });
          byHash.set(c.hash, clip.id);
        }
        for (const g of store.groups.list(projectId)) store.groups.delete(g.id);
        for (const g of doc.groups) {
          const group = store.groups.create(projectId, g.name);
          store.groups.setClips(
            group.id,
            g.clips.flatMap((h) => (byHash.has(h) ? [byHash.get(h)!] : [])),
          );
          const headlines = z.array(z.string().min(1).max(200)).safeParse(g.headlines ?? []);
          if (headlines.success && headlines.data.length) store.groups.setHeadlines(group.id, headlines.data);
        }
        for (const r of store.rules.list(projectId)) store.rules.remove(r.id);
        for (const [a, b] of doc.rules) {
          const clipA = byHash.get(a);
          const clipB = byHash.get(b);
          if (clipA && clipB) store.rules.add(projectId, clipA, clipB);
        }
        // Codes, rendered ads and ad reports: after the clips, whose ids they name here.
        importResultsPart(store, projectId, doc, byHash);
        return projectId;
      });
      ctx.hub.emit({ type: 'project.changed', projectId: id });
      ctx.hub.emit({ type: 'projects.changed' });
      return id;
    },
    deleteProject(projectId) {
      if (!exists(ctx, projectId)) return;
      for (const job of store.jobs.list(projectId)) ctx.queue.cancelJob(job.id);
      store.projects.delete(projectId);
      ctx.hub.emit({ type: 'projects.changed' });
    },
  };
}
