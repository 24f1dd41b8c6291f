import {
  type Clip,
  type Group,
  type ImportResult,
  mergeRenderSettings,
  type Project,
  type ProjectDetail,
  type RenderSettingsPatch,
} from '@vmp/shared/api';
import type { MixMode } from '@vmp/shared/media';
import { create } from 'zustand';
import { api } from '../api/client.ts';
import { errorMessage } from '../api/errors.ts';
import { applyMove, type ClipMove, inverseMove, nextGroupName, sortGroups } from '../lib/groups.ts';
import { importSummary } from '../lib/import-summary.ts';
import { applyClip } from './reducers.ts';
import { attempt, toast } from './toasts.ts';
import { useUndo } from './undo.ts';

export interface Selection {
  clipId: string;
  /** null: selected in the library. */
  groupId: string | null;
}

export interface UploadProgress {
  sent: number;
  total: number;
  files: number;
}

interface WorkspaceState {
  projectId: string | null;
  detail: ProjectDetail | null;
  loadError: string | null;
  selection: Selection | null;
  upload: UploadProgress | null;
  open(projectId: string): Promise<void>;
  close(): void;
  reload(): Promise<void>;
  applyEvent(event: { type: 'clip'; clip: Clip } | { type: 'project'; projectId: string }): void;
  updateProject(patch: { name?: string; mode?: MixMode; outputDir?: string }): Promise<void>;
  updateSettings(patch: RenderSettingsPatch): Promise<void>;
  createGroup(name?: string): Promise<Group | undefined>;
  renameGroup(groupId: string, name: string): Promise<void>;
  deleteGroup(groupId: string): Promise<void>;
  reorderGroups(groupIds: string[]): Promise<void>;
  moveClip(move: ClipMove, label?: string): Promise<void>;
  importFiles(files: File[], groupId?: string): Promise<void>;
  importPaths(paths: string[], groupId?: string): Promise<void>;
  removeClip(clipId: string): Promise<void>;
  relink(clipId: string, path: string): Promise<void>;
  /** Look for clips that moved or changed on disk; `quiet` skips the all-good message. */
  recheck(quiet?: boolean): Promise<void>;
  select(selection: Selection | null): void;
}

function summariseImport(result: ImportResult): void {
  const { success, warnings } = importSummary(result);
  if (success) toast.success(success);
  for (const warning of warnings) toast.warning(warning);
}

export const useWorkspace = create<WorkspaceState>((set, get) => {
  let loadSeq = 0;
  let reloading: Promise<void> | null = null;
  let reloadAgain = false;

  const projectId = () => {
    const id = get().projectId;
    if (!id) throw new Error('No project is open');
    return id;
  };
  const setGroups = (groups: Group[]) =>
    set((s) => {
      if (!s.detail) return s;
      const byId = new Map(groups.map((g) => [g.id, g]));
      const merged = s.detail.groups.map((g) => byId.get(g.id) ?? g);
      for (const g of groups) if (!merged.some((m) => m.id === g.id)) merged.push(g);
      return { detail: { ...s.detail, groups: sortGroups(merged) } };
    });
  const setProject = (project: Project) =>
    set((s) => (s.detail && s.detail.project.id === project.id ? { detail: { ...s.detail, project } } : s));

  /** groups.moveClip without recording undo (used by undo itself). */
  const rawMove = async (move: ClipMove) => {
    set((s) => (s.detail ? { detail: { ...s.detail, groups: applyMove(s.detail.groups, move) } } : s));
    try {
      setGroups(await api().call('groups.moveClip', move));
    } catch (error) {
      await get().reload();
      throw error;
    }
  };

  return {
    projectId: null,
    detail: null,
    loadError: null,
    selection: null,
    upload: null,

    async open(id) {
      const seq = ++loadSeq;
      if (get().projectId !== id) {
        useUndo.getState().clear();
        set({ projectId: id, detail: null, loadError: null, selection: null });
      }
      try {
        const detail = await api().call('projects.get', { projectId: id });
        if (seq === loadSeq) set({ detail: { ...detail, groups: sortGroups(detail.groups) }, loadError: null });
      } catch (error) {
        if (seq === loadSeq) set({ loadError: errorMessage(error) });
      }
    },
    close() {
      loadSeq++;
      useUndo.getState().clear();
      set({ projectId: null, detail: null, loadError: null, selection: null });
    },
    /** Coalesces bursts of project.changed events into at most one extra fetch. */
    reload() {
      const id = get().projectId;
      if (!id) return Promise.resolve();
      if (reloading) {
        reloadAgain = true;
        return reloading;
      }
      reloading = (async () => {
        do {
          reloadAgain = false;
          await get().open(id);
        } while (reloadAgain && get().projectId === id);
        reloading = null;
      })();
      return reloading;
    },
    applyEvent(event) {
      if (event.type === 'clip') set((s) => ({ detail: applyClip(s.detail, event.clip) }));
      else if (event.projectId === get().projectId) void get().reload();
    },

    async updateProject(patch) {
      const project = await attempt(() => api().call('projects.update', { projectId: projectId(), ...patch }));
      if (project) setProject(project);
    },
    async updateSettings(patch) {
      const detail = get().detail;
      if (!detail) return;
      try {
        setProject({ ...detail.project, settings: mergeRenderSettings(detail.project.settings, patch) });
      } catch {
        // An invalid patch: no local preview; the host's answer below says what is wrong.
      }
      const project = await attempt(() => api().call('projects.update', { projectId: projectId(), settings: patch }));
      if (project) setProject(project);
      else await get().reload();
    },

    async createGroup(name) {
      const detail = get().detail;
      if (!detail) return undefined;
      const group = await attempt(() =>
        api().call('groups.create', { projectId: projectId(), name: name ?? nextGroupName(detail.groups) }),
      );
      if (!group) return undefined;
      setGroups([group]);
      let currentId = group.id;
      useUndo.getState().record({
        label: `add group “${group.name}”`,
        undo: async () => {
          await api().call('groups.delete', { groupId: currentId });
          await get().reload();
        },
        redo: async () => {
          currentId = (await api().call('groups.create', { projectId: group.projectId, name: group.name })).id;
          await get().reload();
        },
      });
      return group;
    },
    async renameGroup(groupId, name) {
      const before = get().detail?.groups.find((g) => g.id === groupId);
      const group = await attempt(() => api().call('groups.rename', { groupId, name }));
      if (!group || !before) return;
      setGroups([group]);
      useUndo.getState().record({
        label: `rename “${before.name}”`,
        undo: async () => setGroups([await api().call('groups.rename', { groupId, name: before.name })]),
        redo: async () => setGroups([await api().call('groups.rename', { groupId, name })]),
      });
    },
    async deleteGroup(groupId) {
      const detail = get().detail;
      const group = detail?.groups.find((g) => g.id === groupId);
      if (!detail || !group) return;
      const order = detail.groups.map((g) => g.id);
      const ok = await attempt(() => api().call('groups.delete', { groupId }));
      if (!ok) return;
      set((s) => (s.detail ? { detail: { ...s.detail, groups: s.detail.groups.filter((g) => g.id !== groupId) } } : s));
      // Undo recreates the group (a new id), its clips and its place in the order.
      let currentId = groupId;
      useUndo.getState().record({
        label: `delete group “${group.name}”`,
        undo: async () => {
          const created = await api().call('groups.create', { projectId: group.projectId, name: group.name });
          if (group.clipIds.length)
            await api().call('groups.setClips', { groupId: created.id, clipIds: group.clipIds });
          const live = new Set((get().detail?.groups ?? []).map((g) => g.id));
          const ids = order
            .map((id) => (id === currentId ? created.id : id))
            .filter((id) => id === created.id || live.has(id));
          await api().call('groups.reorder', { projectId: group.projectId, groupIds: ids });
          currentId = created.id;
          await get().reload();
        },
        redo: async () => {
          await api().call('groups.delete', { groupId: currentId });
          await get().reload();
        },
      });
      toast.info(`Deleted group “${group.name}”. Its clips stay in the library.`, {
        label: 'Undo',
        run: () => void useUndo.getState().undo(),
      });
    },
    async reorderGroups(groupIds) {
      const detail = get().detail;
      if (!detail) return;
      const before = detail.groups.map((g) => g.id);
      const byId = new Map(detail.groups.map((g) => [g.id, g]));
      const optimistic = groupIds.flatMap((id, position) => {
        const g = byId.get(id);
        return g ? [{ ...g, position }] : [];
      });
      set({ detail: { ...detail, groups: optimistic } });
      const groups = await attempt(() => api().call('groups.reorder', { projectId: projectId(), groupIds }));
      if (!groups) return get().reload();
      setGroups(groups);
      const pid = detail.project.id;
      useUndo.getState().record({
        label: 'reorder groups',
        undo: async () => setGroups(await api().call('groups.reorder', { projectId: pid, groupIds: before })),
        redo: async () => setGroups(await api().call('groups.reorder', { projectId: pid, groupIds })),
      });
    },
    async moveClip(move, label) {
      const detail = get().detail;
      if (!detail) return;
      const inverse = inverseMove(detail.groups, move);
      try {
        await rawMove(move);
      } catch (error) {
        toast.error(error);
        return;
      }
      const name = detail.clips.find((c) => c.id === move.clipId)?.name ?? 'clip';
      useUndo
        .getState()
        .record({ label: label ?? `move ${name}`, undo: () => rawMove(inverse), redo: () => rawMove(move) });
    },

    async importFiles(files, groupId) {
      const client = api();
      if (files.length === 0) return;
      if (client.pathForFile) {
        const paths = files.map((f) => client.pathForFile?.(f)).filter((p): p is string => !!p);
        if (paths.length === 0)
          toast.warning('Those items are not files on disk. Drop video files from your file manager.');
        else await get().importPaths(paths, groupId);
        return;
      }
      if (!client.upload) {
        toast.warning('This window cannot import files. Use the Import button.');
        return;
      }
      const id = projectId();
      const total = files.reduce((sum, f) => sum + f.size, 0);
      set({ upload: { sent: 0, total, files: files.length } });
      try {
        const result = await client.upload(id, files, {
          ...(groupId ? { groupId } : {}),
          onProgress: (sent, all) => set({ upload: { sent, total: all, files: files.length } }),
        });
        summariseImport(result);
      } catch (error) {
        toast.error(error);
      } finally {
        set({ upload: null });
        await get().reload();
      }
    },
    async importPaths(paths, groupId) {
      const result = await attempt(() =>
        api().call('clips.import', { projectId: projectId(), paths, ...(groupId ? { groupId } : {}) }),
      );
      if (result) summariseImport(result);
      await get().reload();
    },
    async removeClip(clipId) {
      const ok = await attempt(() => api().call('clips.remove', { projectId: projectId(), clipIds: [clipId] }));
      if (ok) {
        if (get().selection?.clipId === clipId) set({ selection: null });
        await get().reload();
      }
    },
    async relink(clipId, path) {
      const clip = await attempt(() => api().call('clips.relink', { clipId, path }));
      if (!clip) return;
      set((s) => ({ detail: applyClip(s.detail, clip) }));
      if (clip.status === 'ok') toast.success(`Relinked ${clip.name}.`);
      else toast.warning(clip.problems.map((p) => p.message).join(' ') || `${clip.name} still has a problem.`);
    },
    async recheck(quiet = false) {
      const id = get().projectId;
      if (!id) return;
      const changed = await attempt(() => api().call('clips.recheck', { projectId: id }));
      if (!changed) return;
      if (changed.length > 0) await get().reload();
      const lost = (get().detail?.clips ?? []).filter((c) => c.status === 'missing' || c.status === 'changed');
      if (lost.length > 0) {
        toast.warning(
          `${lost.length === 1 ? `${lost[0]?.name} has` : `${lost.length} clips have`} moved or changed on disk. Relink ${lost.length === 1 ? 'it' : 'them'} in the library.`,
        );
      } else if (!quiet) toast.success('Every clip is where it was.');
    },
    select: (selection) => set({ selection }),
  };
});
