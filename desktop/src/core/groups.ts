import type { Group } from '@vmp/shared/api';
import { ValidationError } from '@vmp/shared/errors';
import type { AreaHandlers, CoreContext } from './context.ts';
import { NotFoundError } from './errors.ts';

/** Same limit as a headlines.txt line (engine/text/headlines.ts). */
const MAX_HEADLINE_CHARS = 200;

/** Trimmed, blank lines dropped; a line too long names its index and what to do. */
export function checkHeadlines(lines: readonly string[]): string[] {
  lines.forEach((line, i) => {
    if (line.includes('\u0000')) {
      throw new ValidationError(`headlines[${i}] holds a NUL character (\\u0000); remove it.`, {
        field: `headlines.${i}`,
      });
    }
    if (Array.from(line.trim()).length > MAX_HEADLINE_CHARS) {
      throw new ValidationError(
        `headlines[${i}]: "${line.trim().slice(0, 30)}…" is longer than ${MAX_HEADLINE_CHARS} characters; shorten it or split it.`,
        { field: `headlines.${i}` },
      );
    }
  });
  return lines.map((l) => l.trim()).filter((l) => l.length > 0);
}

/** groups.* and rules.*: the groups of a project, their clips, and never-together rules. */
export function groupHandlers(ctx: CoreContext): AreaHandlers<'groups'> & AreaHandlers<'rules'> {
  const { store } = ctx;
  return {
    async 'groups.create'({ projectId, name }) {
      const group = store.groups.create(projectId, name);
      ctx.projectChanged(projectId);
      return group;
    },
    async 'groups.rename'({ groupId, name }) {
      const group = store.groups.rename(groupId, name);
      ctx.projectChanged(group.projectId);
      return group;
    },
    async 'groups.delete'({ groupId }) {
      const group = store.groups.delete(groupId);
      ctx.projectChanged(group.projectId);
      return { ok: true as const };
    },
    async 'groups.reorder'({ projectId, groupIds }) {
      const groups = store.groups.reorder(projectId, groupIds);
      ctx.projectChanged(projectId);
      return groups;
    },
    async 'groups.setClips'({ groupId, clipIds }) {
      const group = store.groups.setClips(groupId, clipIds);
      ctx.projectChanged(group.projectId);
      return group;
    },
    async 'groups.setHeadlines'({ groupId, headlines }) {
      const group = store.groups.setHeadlines(groupId, checkHeadlines(headlines));
      ctx.projectChanged(group.projectId);
      return group;
    },
    async 'groups.moveClip'({ clipId, fromGroupId, toGroupId, index }) {
      const clip = store.clips.get(clipId);
      const changed: Group[] = [];
      store.transaction(() => {
        const from = fromGroupId ? store.groups.get(fromGroupId) : null;
        const to = toGroupId ? store.groups.get(toGroupId) : null;
        for (const [field, g] of [
          ['fromGroupId', from],
          ['toGroupId', to],
        ] as const) {
          if (g && g.projectId !== clip.projectId) {
            throw new NotFoundError(`${field}: group ${g.id} is not part of the clip's project.`, { field });
          }
        }
        if (from && !from.clipIds.includes(clipId)) {
          throw new ValidationError(`fromGroupId: clip "${clip.name}" is not in group "${from.name}".`, {
            field: 'fromGroupId',
          });
        }
        if (from && to && from.id === to.id) {
          const ids = from.clipIds.filter((id) => id !== clipId);
          ids.splice(Math.min(index, ids.length), 0, clipId);
          changed.push(store.groups.setClips(from.id, ids));
          return;
        }
        if (from)
          changed.push(
            store.groups.setClips(
              from.id,
              from.clipIds.filter((id) => id !== clipId),
            ),
          );
        if (to) {
          const ids = to.clipIds.filter((id) => id !== clipId);
          ids.splice(Math.min(index, ids.length), 0, clipId);
          changed.push(store.groups.setClips(to.id, ids));
        }
      });
      ctx.projectChanged(clip.projectId);
      return changed;
    },

    async 'rules.add'({ projectId, clipA, clipB }) {
      const rule = store.rules.add(projectId, clipA, clipB);
      ctx.projectChanged(projectId);
      return rule;
    },
    async 'rules.remove'({ ruleId }) {
      const rule = store.rules.remove(ruleId);
      ctx.projectChanged(rule.projectId);
      return { ok: true as const };
    },
  };
}
