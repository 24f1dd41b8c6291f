import type { Clip } from '@vmp/shared/api';
import { useState } from 'react';
import { importClips } from '../actions.ts';
import { api } from '../api/client.ts';
import { formatBytes, formatDuration, plural } from '../lib/format.ts';
import { useApp } from '../stores/app.ts';
import { useDialog } from '../stores/dialog.ts';
import { clipProblemText, needsRelink } from '../stores/reducers.ts';
import { useText } from '../stores/text.ts';
import { attempt } from '../stores/toasts.ts';
import { useUi } from '../stores/ui.ts';
import { useWorkspace } from '../stores/workspace.ts';
import { ClipThumb, resolutionLabel } from './ClipThumb.tsx';
import { Icon } from './Icon.tsx';
import { LocalImport } from './LocalImport.tsx';
import { modKey } from './ProjectsScreen.tsx';

export const CLIP_MIME = 'application/x-vmp-clip';

async function relink(clip: Clip) {
  const info = useApp.getState().info;
  if (info?.capabilities.nativeDialogs) {
    const paths = await attempt(() => api().call('dialog.pickClips', {}));
    if (paths?.[0]) await useWorkspace.getState().relink(clip.id, paths[0]);
    return;
  }
  const path = await useDialog.getState().prompt({
    title: `Relink ${clip.name}`,
    label: 'Full path of the file on the host machine',
    initial: clip.path,
    confirmLabel: 'Relink',
    maxLength: 4096,
  });
  if (path) await useWorkspace.getState().relink(clip.id, path);
}

export function Library() {
  const clips = useWorkspace((s) => s.detail?.clips ?? []);
  const groups = useWorkspace((s) => s.detail?.groups ?? []);
  const usage = new Map<string, string[]>();
  for (const g of groups) for (const id of g.clipIds) usage.set(id, [...(usage.get(id) ?? []), g.name]);
  const totalDuration = clips.reduce((sum, c) => sum + (c.info?.duration ?? 0), 0);
  const [over, setOver] = useState(false);
  // Dropping a grouped clip on the library takes it out of its group.
  const fromGroup = () => useUi.getState().drag?.fromGroupId ?? null;
  return (
    <aside
      className={over ? 'library panel is-drop-target' : 'library panel'}
      aria-label="Clip library"
      onDragOver={(e) => {
        if (!fromGroup()) return;
        e.preventDefault();
        e.dataTransfer.dropEffect = 'move';
        setOver(true);
      }}
      onDragLeave={(e) => {
        if (!e.currentTarget.contains(e.relatedTarget as Node | null)) setOver(false);
      }}
      onDrop={(e) => {
        setOver(false);
        const drag = useUi.getState().drag;
        if (!drag?.fromGroupId) return;
        e.preventDefault();
        useUi.getState().setDrag(null);
        const move = { clipId: drag.clipId, fromGroupId: drag.fromGroupId, toGroupId: null, index: 0 };
        void useWorkspace.getState().moveClip(move, 'take clip out of group');
      }}
    >
      <div className="panel-header">
        <div>
          <h2>Library</h2>
          <span className="panel-sub">
            {plural(clips.length, 'clip')} · {formatDuration(totalDuration)}
          </span>
        </div>
        <div className="panel-actions">
          <button
            type="button"
            className="icon-button"
            aria-label="Check clip files on disk"
            title="Check files: find clips that moved or changed"
            onClick={() => void useWorkspace.getState().recheck()}
          >
            <Icon name="retry" />
          </button>
          <button
            type="button"
            className="button small"
            onClick={() => void importClips()}
            title={`Import clips (${modKey()}I)`}
          >
            <Icon name="upload" size={14} /> Import
          </button>
        </div>
      </div>
      <LocalImport />
      {clips.length === 0 ? (
        <div className="panel-empty">
          <Icon name="upload" size={24} />
          <p>
            <strong>Drop video clips anywhere</strong> in this window, or use Import.
          </p>
          <p className="muted">Short clips work best: hooks, bodies and calls to action of 2–10 seconds.</p>
        </div>
      ) : (
        <ul className="clip-list" aria-label="Clips">
          {clips.map((clip) => (
            <LibraryClip key={clip.id} clip={clip} groups={usage.get(clip.id) ?? []} />
          ))}
        </ul>
      )}
    </aside>
  );
}

function LibraryClip({ clip, groups }: { clip: Clip; groups: string[] }) {
  const mode = useWorkspace((s) => s.detail?.project.mode);
  const selected = useWorkspace((s) => s.selection?.clipId === clip.id && s.selection.groupId === null);
  const problem = clipProblemText(clip);
  const res = resolutionLabel(clip);
  const remove = async () => {
    const ok = await useDialog.getState().confirm({
      title: `Remove ${clip.name}?`,
      message: `The clip leaves this project and every group. The file itself stays on disk.`,
      confirmLabel: 'Remove clip',
      danger: true,
    });
    if (ok) await useWorkspace.getState().removeClip(clip.id);
  };
  return (
    <li
      className={`clip-item status-${clip.status}${selected ? ' is-selected' : ''}`}
      data-testid="library-clip"
      data-clip-name={clip.name}
      draggable
      onDragStart={(e) => {
        e.dataTransfer.setData(CLIP_MIME, JSON.stringify({ clipId: clip.id, fromGroupId: null }));
        e.dataTransfer.effectAllowed = 'copyMove';
        useUi.getState().setDrag({ clipId: clip.id, fromGroupId: null });
      }}
      onDragEnd={() => useUi.getState().setDrag(null)}
    >
      <button
        type="button"
        className="clip-select"
        aria-pressed={selected}
        aria-label={`${clip.name}${problem ? `, problem: ${problem.replace(/\.$/, '')}` : ''}. Select, then Alt+Right to add to the first group.`}
        onClick={() => useWorkspace.getState().select(selected ? null : { clipId: clip.id, groupId: null })}
      >
        <ClipThumb clip={clip} />
        <span className="clip-text">
          <span className="clip-name" title={`${clip.path} · ${formatBytes(clip.size)}`}>
            {clip.name}
          </span>
          <span className="badges">
            {clip.status === 'analysing' ? <span className="badge">Analysing…</span> : null}
            {clip.info ? <span className="badge">{formatDuration(clip.info.duration)}</span> : null}
            {res ? <span className="badge">{res}</span> : null}
          </span>
          {mode === 'manual' ? (
            <span className={groups.length ? 'clip-groups' : 'clip-groups is-unused'}>
              {groups.length ? `In ${[...new Set(groups)].join(', ')}` : 'Not in a group'}
            </span>
          ) : null}
        </span>
        {problem ? (
          <span className="problem-marker" title={problem} role="img" aria-label="Problem">
            <Icon name="warning" size={14} />
          </span>
        ) : null}
      </button>
      {problem ? (
        <p className="clip-problem">
          {problem}
          {needsRelink(clip) ? (
            <button
              type="button"
              className="link-button"
              aria-label={`Relink ${clip.name}`}
              onClick={() => void relink(clip)}
            >
              <Icon name="link" size={12} /> Relink
            </button>
          ) : null}
        </p>
      ) : null}
      <button
        type="button"
        className={`icon-button small clip-captions${clip.captions?.length ? ' has-captions' : ''}`}
        aria-label={`Captions of ${clip.name}${clip.captions?.length ? ` (${clip.captions.length})` : ''}`}
        title={clip.captions?.length ? `${plural(clip.captions.length, 'caption cue')} — edit` : 'Add captions'}
        onClick={() => useText.getState().openCaptions(clip.id)}
      >
        CC
      </button>
      <button
        type="button"
        className="icon-button small clip-remove"
        aria-label={`Remove ${clip.name} from project`}
        title="Remove from project"
        onClick={() => void remove()}
      >
        <Icon name="trash" size={14} />
      </button>
    </li>
  );
}
