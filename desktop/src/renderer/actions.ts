import { api } from './api/client.ts';
import { keyboardMove, type MoveDirection, sortGroups } from './lib/groups.ts';
import type { ShortcutAction } from './lib/shortcuts.ts';
import { useApp } from './stores/app.ts';
import { useDialog } from './stores/dialog.ts';
import { useJobs } from './stores/jobs.ts';
import { useProjects } from './stores/projects.ts';
import { attempt, toast } from './stores/toasts.ts';
import { useUi } from './stores/ui.ts';
import { useUndo } from './stores/undo.ts';
import { useWorkspace } from './stores/workspace.ts';

/** The id of the hidden <input type=file> the browser build uses to pick clips. */
export const FILE_INPUT_ID = 'vmp-clip-input';

export async function newProject(): Promise<void> {
  const name = await useDialog.getState().prompt({
    title: 'New project',
    label: 'Project name',
    initial: `Campaign ${new Date().toLocaleDateString(undefined, { month: 'short', day: 'numeric' })}`,
    confirmLabel: 'Create project',
  });
  if (!name) return;
  const project = await useProjects.getState().create(name);
  if (project) useApp.getState().open({ name: 'project', projectId: project.id });
}

/** Native picker in Electron; the hidden file input (→ upload) in the browser. */
export async function importClips(groupId?: string): Promise<void> {
  const { screen, info } = useApp.getState();
  if (screen.name !== 'project') {
    toast.info('Open a project first, then import clips into it.');
    return;
  }
  if (info?.capabilities.nativeDialogs) {
    const paths = await attempt(() => api().call('dialog.pickClips', {}));
    if (paths?.length) await useWorkspace.getState().importPaths(paths, groupId);
    return;
  }
  const input = document.getElementById(FILE_INPUT_ID) as HTMLInputElement | null;
  if (input) {
    input.dataset.groupId = groupId ?? '';
    input.click();
  }
}

export async function render(): Promise<void> {
  const { screen } = useApp.getState();
  if (screen.name !== 'project') return;
  const job = await useJobs.getState().start();
  if (job) useUi.getState().setTab('renders');
}

function moveSelected(direction: MoveDirection): void {
  const { selection, detail, moveClip } = useWorkspace.getState();
  if (!selection || !detail) return;
  if (selection.groupId === null) {
    // From the library, "right" sends the clip to the end of the first group.
    const first = sortGroups(detail.groups)[0];
    if (direction !== 'right' || !first) return;
    void moveClip({ clipId: selection.clipId, fromGroupId: null, toGroupId: first.id, index: first.clipIds.length });
    useWorkspace.getState().select({ clipId: selection.clipId, groupId: first.id });
    return;
  }
  const move = keyboardMove(detail.groups, selection.clipId, selection.groupId, direction);
  if (!move) return;
  void moveClip(move);
  useWorkspace.getState().select({ clipId: selection.clipId, groupId: move.toGroupId });
}

/** What every shortcut does. Returns false when the action does not apply here (the key then goes on). */
export function runShortcut(action: ShortcutAction): boolean {
  const app = useApp.getState();
  const inProject = app.screen.name === 'project';
  switch (action) {
    case 'newProject':
      void newProject();
      return true;
    case 'import':
      void importClips();
      return true;
    case 'render':
      if (!inProject) return false;
      void render();
      return true;
    case 'undo':
      if (!inProject) return false;
      void useUndo.getState().undo();
      return true;
    case 'redo':
      if (!inProject) return false;
      void useUndo.getState().redo();
      return true;
    case 'help':
      app.setShortcutsOpen(!app.shortcutsOpen);
      return true;
    case 'escape':
      if (useDialog.getState().open) useDialog.getState().close();
      else if (useUi.getState().playing) useUi.getState().play(null);
      else if (app.shortcutsOpen) app.setShortcutsOpen(false);
      else if (useWorkspace.getState().selection) useWorkspace.getState().select(null);
      else return false;
      return true;
    case 'moveClipLeft':
    case 'moveClipRight':
    case 'moveClipUp':
    case 'moveClipDown': {
      if (!inProject || !useWorkspace.getState().selection) return false;
      const dir = { moveClipLeft: 'left', moveClipRight: 'right', moveClipUp: 'up', moveClipDown: 'down' } as const;
      moveSelected(dir[action]);
      return true;
    }
    case 'removeClip': {
      const { selection, moveClip } = useWorkspace.getState();
      if (!inProject || !selection?.groupId) return false;
      void moveClip(
        { clipId: selection.clipId, fromGroupId: selection.groupId, toGroupId: null, index: 0 },
        'take clip out of group',
      );
      useWorkspace.getState().select({ clipId: selection.clipId, groupId: null });
      return true;
    }
    case 'newGroup':
      if (!inProject || useWorkspace.getState().detail?.project.mode !== 'manual') return false;
      void useWorkspace.getState().createGroup();
      return true;
  }
}
