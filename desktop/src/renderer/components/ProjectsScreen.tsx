import type { ProjectSummary } from '@vmp/shared/api';
import { useEffect } from 'react';
import { newProject } from '../actions.ts';
import { formatRelativeTime, plural } from '../lib/format.ts';
import { isMacPlatform } from '../lib/shortcuts.ts';
import { useApp } from '../stores/app.ts';
import { askProjectRename, useDialog } from '../stores/dialog.ts';
import { useLicensing } from '../stores/licensing.ts';
import { useProjects } from '../stores/projects.ts';
import { Icon } from './Icon.tsx';

export function modKey(): string {
  return isMacPlatform(useApp.getState().info?.platform ?? navigator.platform) ? '⌘' : 'Ctrl+';
}

export function ProjectsScreen() {
  const projects = useProjects((s) => s.projects);
  const loaded = useProjects((s) => s.loaded);
  const connected = useApp((s) => s.connected);
  useEffect(() => {
    if (connected) void useProjects.getState().load();
  }, [connected]);

  return (
    <div className="projects">
      <div className="page-header">
        <div>
          <h1>Projects</h1>
          <p className="muted">Each project holds clips, groups and render settings. Outputs stay on your disk.</p>
        </div>
        <button
          type="button"
          className="button primary"
          onClick={() => void newProject()}
          title={`New project (${modKey()}N)`}
        >
          <Icon name="plus" /> New project
        </button>
      </div>
      {loaded && projects.length === 0 ? (
        <div className="empty-state">
          <div className="empty-icon" aria-hidden="true">
            <Icon name="film" size={28} />
          </div>
          <h2>No projects yet</h2>
          <p>Create a project, drop in a handful of short clips, and mix them into hundreds of distinct videos.</p>
          <button type="button" className="button primary" onClick={() => void newProject()}>
            <Icon name="plus" /> Create your first project
          </button>
          <p className="hint">
            Shortcut: <kbd>{modKey().replace('+', '')}</kbd> <kbd>N</kbd>
          </p>
        </div>
      ) : (
        <ul className="project-list" aria-label="Projects">
          {projects.map((p) => (
            <ProjectRow key={p.id} project={p} />
          ))}
        </ul>
      )}
    </div>
  );
}

const SYNC_LABEL = { synced: 'Synced', pending: 'Not synced yet', conflict: 'Sync conflict', error: 'Sync failed' };

function ProjectRow({ project }: { project: ProjectSummary }) {
  const sync = useLicensing((s) => s.sync?.projects.find((p) => p.projectId === project.id)?.state);
  const open = () => useApp.getState().open({ name: 'project', projectId: project.id });
  const rename = async () => {
    const name = await askProjectRename(project.name);
    if (name) await useProjects.getState().rename(project.id, name);
  };
  const remove = async () => {
    const ok = await useDialog.getState().confirm({
      title: `Delete “${project.name}”?`,
      message: `The project's ${plural(project.clipCount, 'clip')}, groups and render history are removed from Video Mixer Pro. The video files themselves, and the ${plural(project.outputCount, 'rendered output')}, stay on disk.`,
      confirmLabel: 'Delete project',
      danger: true,
    });
    if (ok) await useProjects.getState().remove(project.id);
  };
  return (
    <li className="project-row" data-testid="project-row">
      <button type="button" className="project-open" onClick={open}>
        <span className={`project-thumb format-${project.settings.format.replace(':', 'x')}`} aria-hidden="true" />
        <span className="project-main">
          <span className="project-name">{project.name}</span>
          <span className="project-meta">
            <span>{plural(project.clipCount, 'clip')}</span>
            <span aria-hidden="true">·</span>
            <span>{plural(project.outputCount, 'output')}</span>
            <span aria-hidden="true">·</span>
            <span>{project.mode === 'manual' ? 'Groups' : 'Auto mix'}</span>
            <span aria-hidden="true">·</span>
            <span>{project.settings.format}</span>
            {sync && sync !== 'local-only' ? (
              <>
                <span aria-hidden="true">·</span>
                <span className={`sync-state is-${sync}`} data-testid="project-sync">
                  {SYNC_LABEL[sync]}
                </span>
              </>
            ) : null}
          </span>
        </span>
        <span className="project-updated" title={new Date(project.updatedAt).toLocaleString()}>
          Edited {formatRelativeTime(project.updatedAt)}
        </span>
      </button>
      <div className="row-actions">
        <button
          type="button"
          className="icon-button"
          aria-label={`Rename ${project.name}`}
          title="Rename"
          onClick={() => void rename()}
        >
          <Icon name="pencil" />
        </button>
        <button
          type="button"
          className="icon-button danger"
          aria-label={`Delete ${project.name}`}
          title="Delete"
          onClick={() => void remove()}
        >
          <Icon name="trash" />
        </button>
      </div>
    </li>
  );
}
