import type { Clip, Group } from '@vmp/shared/api';
import { type DragEvent, useState } from 'react';
import { importClips } from '../actions.ts';
import { formatDuration, plural } from '../lib/format.ts';
import { dropIndex, reorder } from '../lib/groups.ts';
import { useDialog } from '../stores/dialog.ts';
import { clipProblemText } from '../stores/reducers.ts';
import { useUi } from '../stores/ui.ts';
import { useWorkspace } from '../stores/workspace.ts';
import { ClipThumb } from './ClipThumb.tsx';
import { GroupText } from './GroupText.tsx';
import { Icon } from './Icon.tsx';
import { CLIP_MIME } from './Library.tsx';

const GROUP_MIME = 'application/x-vmp-group';
let draggedGroupId: string | null = null;

const hasType = (e: DragEvent, type: string) => [...e.dataTransfer.types].includes(type);

export function GroupsBoard() {
  const detail = useWorkspace((s) => s.detail);
  if (!detail) return null;
  if (detail.project.mode === 'auto') {
    return (
      <div className="auto-mode">
        <div className="empty-state compact">
          <div className="empty-icon" aria-hidden="true">
            <Icon name="shuffle" size={26} />
          </div>
          <h2>Auto mix</h2>
          <p>
            Every output picks {plural(detail.project.settings.clipsPerOutput, 'clip')} from the whole library of{' '}
            {plural(detail.clips.filter((c) => c.status === 'ok').length, 'usable clip')}. Set how many clips per output
            in the settings, or switch to <strong>Groups</strong> to control the order (hook → body → call to action).
          </p>
        </div>
      </div>
    );
  }
  const clipsById = new Map(detail.clips.map((c) => [c.id, c]));
  const addGroup = () => void useWorkspace.getState().createGroup();
  return (
    <div className="board-wrap">
      <div className="board-toolbar">
        <p className="muted">Each output plays one clip from every group, left to right.</p>
        <button type="button" className="button small" onClick={addGroup} title="New group (G)">
          <Icon name="plus" size={14} /> Add group
        </button>
      </div>
      {detail.groups.length === 0 ? (
        <div className="empty-state compact">
          <h2>No groups</h2>
          <p>Add a group for each part of your video, e.g. Hook, Body and Call to action.</p>
          <button type="button" className="button primary" onClick={addGroup}>
            <Icon name="plus" /> Add group
          </button>
        </div>
      ) : (
        <section className="board" aria-label="Groups">
          {detail.groups.map((group, i) => (
            <GroupColumn key={group.id} group={group} index={i} count={detail.groups.length} clipsById={clipsById} />
          ))}
        </section>
      )}
    </div>
  );
}

function GroupColumn({
  group,
  index,
  count,
  clipsById,
}: {
  group: Group;
  index: number;
  count: number;
  clipsById: Map<string, Clip>;
}) {
  const drag = useUi((s) => s.drag);
  const dropAt = useUi((s) => (s.dropTarget?.groupId === group.id ? s.dropTarget.index : null));
  const [groupOver, setGroupOver] = useState(false);
  const [filesOver, setFilesOver] = useState(false);
  const [view, setView] = useState<'clips' | 'text'>('clips');
  const groups = useWorkspace((s) => s.detail?.groups ?? []);

  const move = (delta: number) => {
    const ids = reorder(
      groups.map((g) => g.id),
      index,
      index + delta,
    );
    void useWorkspace.getState().reorderGroups(ids);
  };
  const rename = async () => {
    const name = await useDialog
      .getState()
      .prompt({ title: 'Rename group', label: 'Group name', initial: group.name, confirmLabel: 'Rename' });
    if (name && name !== group.name) await useWorkspace.getState().renameGroup(group.id, name);
  };

  // Handlers read the drag from the store, not the render closure: the first dragover can come before a re-render.
  const onDragOver = (e: DragEvent<HTMLElement>) => {
    const drag = useUi.getState().drag;
    if (drag && hasType(e, CLIP_MIME)) {
      e.preventDefault();
      e.dataTransfer.dropEffect = 'move';
      const items = [...e.currentTarget.querySelectorAll<HTMLElement>('[data-group-clip]')].filter(
        (el) => !(el.dataset.clipId === drag.clipId && drag.fromGroupId === group.id),
      );
      const mids = items.map((el) => {
        const r = el.getBoundingClientRect();
        return r.top + r.height / 2;
      });
      useUi.getState().setDropTarget({ groupId: group.id, index: dropIndex(mids, e.clientY) });
    } else if (draggedGroupId && hasType(e, GROUP_MIME)) {
      e.preventDefault();
      setGroupOver(draggedGroupId !== group.id);
    } else if (hasType(e, 'Files')) {
      e.preventDefault();
      e.stopPropagation();
      e.dataTransfer.dropEffect = 'copy';
      setFilesOver(true);
    }
  };
  const onDragLeave = (e: DragEvent<HTMLElement>) => {
    if (e.currentTarget.contains(e.relatedTarget as Node | null)) return;
    setGroupOver(false);
    setFilesOver(false);
    if (useUi.getState().dropTarget?.groupId === group.id) useUi.getState().setDropTarget(null);
  };
  const onDrop = (e: DragEvent<HTMLElement>) => {
    setGroupOver(false);
    setFilesOver(false);
    const { drag, dropTarget: target } = useUi.getState();
    if (drag && hasType(e, CLIP_MIME)) {
      e.preventDefault();
      const at = target?.groupId === group.id ? target.index : group.clipIds.length;
      useUi.getState().setDrag(null);
      const from = drag.fromGroupId;
      // A library clip already in this group is moved, not duplicated.
      const fromGroupId = from ?? (group.clipIds.includes(drag.clipId) ? group.id : null);
      void useWorkspace.getState().moveClip({ clipId: drag.clipId, fromGroupId, toGroupId: group.id, index: at });
      useWorkspace.getState().select({ clipId: drag.clipId, groupId: group.id });
    } else if (draggedGroupId && hasType(e, GROUP_MIME)) {
      e.preventDefault();
      const ids = groups.map((g) => g.id);
      const from = ids.indexOf(draggedGroupId);
      draggedGroupId = null;
      if (from !== -1 && from !== index) void useWorkspace.getState().reorderGroups(reorder(ids, from, index));
    } else if (hasType(e, 'Files')) {
      e.preventDefault();
      e.stopPropagation();
      const files = [...e.dataTransfer.files];
      if (files.length) void useWorkspace.getState().importFiles(files, group.id);
    }
  };

  const duration = group.clipIds.reduce((sum, id) => sum + (clipsById.get(id)?.info?.duration ?? 0), 0);
  // The dragged clip stays in the DOM (removing a drag source cancels its dragend); the drop index counts the others.
  const isDragged = (id: string) => drag?.clipId === id && drag.fromGroupId === group.id;
  const others = group.clipIds.filter((id) => !isDragged(id));
  let seen = 0;
  return (
    <section
      className={`group-column${dropAt !== null ? ' is-drop-target' : ''}${groupOver ? ' is-group-target' : ''}${filesOver ? ' is-file-target' : ''}`}
      aria-label={`Group ${index + 1}: ${group.name}`}
      data-testid="group-column"
      data-group-name={group.name}
      onDragOver={onDragOver}
      onDragLeave={onDragLeave}
      onDrop={onDrop}
    >
      {/* biome-ignore lint/a11y/noStaticElementInteractions: mouse drag handle; keyboard users reorder with the arrow buttons. */}
      <header
        className="group-header"
        draggable
        onDragStart={(e) => {
          draggedGroupId = group.id;
          e.dataTransfer.setData(GROUP_MIME, group.id);
          e.dataTransfer.effectAllowed = 'move';
        }}
        onDragEnd={() => {
          draggedGroupId = null;
        }}
      >
        <span className="group-grip" aria-hidden="true" title="Drag to reorder">
          <Icon name="grip" size={14} />
        </span>
        <span className="group-index">{index + 1}</span>
        <button type="button" className="group-name" onClick={() => void rename()} title="Rename group">
          {group.name}
        </button>
        <span className="group-count">{group.clipIds.length}</span>
        <div className="group-actions">
          <button
            type="button"
            className="icon-button small"
            aria-label={`Move ${group.name} left`}
            disabled={index === 0}
            onClick={() => move(-1)}
          >
            <Icon name="chevronLeft" size={14} />
          </button>
          <button
            type="button"
            className="icon-button small"
            aria-label={`Move ${group.name} right`}
            disabled={index === count - 1}
            onClick={() => move(1)}
          >
            <Icon name="chevronRight" size={14} />
          </button>
          <button
            type="button"
            className="icon-button small danger"
            aria-label={`Delete group ${group.name}`}
            onClick={() => void useWorkspace.getState().deleteGroup(group.id)}
          >
            <Icon name="trash" size={14} />
          </button>
        </div>
      </header>
      <div className="group-tabs" role="tablist" aria-label={`${group.name} contents`}>
        {(['clips', 'text'] as const).map((v) => (
          <button
            key={v}
            type="button"
            role="tab"
            aria-selected={view === v}
            className={view === v ? 'tab is-active' : 'tab'}
            onClick={() => setView(v)}
          >
            {v === 'clips' ? 'Clips' : 'Text'}
            {v === 'text' && group.headlines?.length ? <span className="badge">{group.headlines.length}</span> : null}
          </button>
        ))}
      </div>
      {view === 'text' ? <GroupText group={group} /> : null}
      <ol className="group-clips" hidden={view !== 'clips'} aria-label={`Clips in ${group.name}`}>
        {group.clipIds.map((id) => {
          const clip = clipsById.get(id);
          const dragged = isDragged(id);
          const line = !dragged && dropAt === seen;
          if (!dragged) seen++;
          return (
            <li key={id} className={dragged ? 'group-slot is-dragging' : 'group-slot'}>
              {line ? <div className="drop-line" aria-hidden="true" /> : null}
              {clip ? <GroupClip clip={clip} groupId={group.id} /> : null}
            </li>
          );
        })}
        {dropAt !== null && dropAt >= others.length ? <li className="drop-line" aria-hidden="true" /> : null}
        {group.clipIds.length === 0 && dropAt === null ? (
          <li className="group-empty">
            <span>Drag clips here</span>
            <button type="button" className="link-button" onClick={() => void importClips(group.id)}>
              or import into {group.name}
            </button>
          </li>
        ) : null}
      </ol>
      <footer className="group-footer">
        {group.clipIds.length ? `${plural(group.clipIds.length, 'clip')} · ${formatDuration(duration)} total` : 'Empty'}
      </footer>
    </section>
  );
}

function GroupClip({ clip, groupId }: { clip: Clip; groupId: string }) {
  const selected = useWorkspace((s) => s.selection?.clipId === clip.id && s.selection.groupId === groupId);
  const problem = clipProblemText(clip);
  return (
    <button
      type="button"
      className={`group-clip status-${clip.status}${selected ? ' is-selected' : ''}`}
      data-group-clip
      data-clip-id={clip.id}
      data-testid="group-clip"
      aria-pressed={selected}
      aria-label={`${clip.name}${problem ? `, problem: ${problem.replace(/\.$/, '')}` : ''}. Alt+arrows move it, Delete takes it out.`}
      title={problem ?? clip.name}
      draggable
      onDragStart={(e) => {
        e.dataTransfer.setData(CLIP_MIME, JSON.stringify({ clipId: clip.id, fromGroupId: groupId }));
        e.dataTransfer.effectAllowed = 'move';
        useUi.getState().setDrag({ clipId: clip.id, fromGroupId: groupId });
      }}
      onDragEnd={() => useUi.getState().setDrag(null)}
      onClick={() => useWorkspace.getState().select(selected ? null : { clipId: clip.id, groupId })}
    >
      <ClipThumb clip={clip} className="small" />
      <span className="clip-name">{clip.name}</span>
      <span className="badge">{formatDuration(clip.info?.duration)}</span>
      {problem ? (
        <span className="problem-marker" aria-hidden="true">
          <Icon name="warning" size={13} />
        </span>
      ) : null}
    </button>
  );
}
