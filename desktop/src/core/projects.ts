import { join } from 'node:path';
import { RenderSettings } from '@vmp/shared';
import { mergeRenderSettings } from '@vmp/shared/api';
import { sanitizeFileName } from '../engine/render/naming.ts';
import { removeUnusedThumbnails } from './clip-analysis.ts';
import { type AreaHandlers, type CoreContext, projectDetail } from './context.ts';

export const DEFAULT_GROUPS = ['Hook', 'Body', 'Call to action'];

/** projects.*: create, list, read, update and delete projects. */
export function projectHandlers(ctx: CoreContext): AreaHandlers<'projects'> {
  const { store, queue, hub } = ctx;
  return {
    async 'projects.list'() {
      return store.projects.list();
    },
    async 'projects.create'({ name, mode = 'manual', outputDir }) {
      const project = store.projects.create({
        name,
        mode,
        outputDir: outputDir ?? join(ctx.settings().defaultOutputDir, sanitizeFileName(name, 60)),
        settings: RenderSettings.parse({}),
        groups: mode === 'manual' ? DEFAULT_GROUPS : [],
      });
      hub.emit({ type: 'projects.changed' });
      return project;
    },
    async 'projects.get'({ projectId }) {
      return projectDetail(ctx, projectId);
    },
    async 'projects.update'({ projectId, settings: patch, ...rest }) {
      const current = store.projects.get(projectId);
      const project = store.projects.update(projectId, {
        ...rest,
        ...(patch ? { settings: mergeRenderSettings(current.settings, patch) } : {}),
      });
      // Switching to manual mode on a project without groups gives it the usual three.
      if (rest.mode === 'manual' && store.groups.list(projectId).length === 0) {
        for (const name of DEFAULT_GROUPS) store.groups.create(projectId, name);
      }
      hub.emit({ type: 'project.changed', projectId });
      hub.emit({ type: 'projects.changed' });
      return project;
    },
    async 'projects.delete'({ projectId }) {
      store.projects.get(projectId);
      // Its renders stop (partial files removed) before its rows go, so nothing settles against a deleted output.
      await queue.cancelJobsAndWait(store.jobs.list(projectId).map((job) => job.id));
      const thumbs = store.clips.list(projectId).map((c) => store.clips.thumbnail(c.id));
      store.projects.delete(projectId);
      await removeUnusedThumbnails(ctx, thumbs);
      hub.emit({ type: 'projects.changed' });
      return { ok: true as const };
    },
  };
}
