import type { MixMode } from '@vmp/shared/media';
import { useEffect, useRef, useState } from 'react';
import { FILE_INPUT_ID, render } from '../actions.ts';
import { filesOf } from '../lib/files.ts';
import { formatCount, formatPercent, plural } from '../lib/format.ts';
import { useApp } from '../stores/app.ts';
import { askProjectRename } from '../stores/dialog.ts';
import { useJobs } from '../stores/jobs.ts';
import { usePlan } from '../stores/plan.ts';
import { useUi, type WorkspaceTab } from '../stores/ui.ts';
import { useWorkspace } from '../stores/workspace.ts';
import { CreditsSummary } from './CreditsSummary.tsx';
import { GroupsBoard } from './GroupsBoard.tsx';
import { Icon } from './Icon.tsx';
import { Library } from './Library.tsx';
import { PlanPreviewView } from './PlanPreview.tsx';
import { modKey } from './ProjectsScreen.tsx';
import { RendersView } from './RendersView.tsx';
import { ResultsView } from './ResultsView.tsx';
import { SettingsPanel } from './SettingsPanel.tsx';

const TABS: Array<{ id: WorkspaceTab; label: string }> = [
  { id: 'mix', label: 'Mix' },
  { id: 'preview', label: 'Preview' },
  { id: 'renders', label: 'Renders' },
  { id: 'results', label: 'Results' },
];

/** Plans are cheap but not free: re-plan a moment after the last edit. */
function usePlanRefresh(projectId: string) {
  const detail = useWorkspace((s) => s.detail);
  useEffect(() => {
    if (!detail) return;
    usePlan.getState().markStale();
    const timer = setTimeout(() => void usePlan.getState().refresh(projectId), 200);
    return () => clearTimeout(timer);
  }, [detail, projectId]);
}

/** Files dropped anywhere on the window import into the project (onto a group: into that group). */
function useWindowFileDrop(enabled: boolean) {
  const [over, setOver] = useState(false);
  useEffect(() => {
    if (!enabled) return;
    let depth = 0;
    const hasFiles = (e: DragEvent) => !!e.dataTransfer && [...e.dataTransfer.types].includes('Files');
    const enter = (e: DragEvent) => {
      if (!hasFiles(e)) return;
      depth++;
      setOver(true);
    };
    const leave = (e: DragEvent) => {
      if (!hasFiles(e)) return;
      depth = Math.max(0, depth - 1);
      if (depth === 0) setOver(false);
    };
    const overFn = (e: DragEvent) => {
      if (!hasFiles(e)) return;
      e.preventDefault();
      if (e.dataTransfer) e.dataTransfer.dropEffect = 'copy';
    };
    const drop = (e: DragEvent) => {
      depth = 0;
      setOver(false);
      if (!hasFiles(e)) return;
      e.preventDefault();
      const files = [...(e.dataTransfer?.files ?? [])];
      if (files.length) void useWorkspace.getState().importFiles(files);
    };
    window.addEventListener('dragenter', enter);
    window.addEventListener('dragleave', leave);
    window.addEventListener('dragover', overFn);
    window.addEventListener('drop', drop);
    return () => {
      window.removeEventListener('dragenter', enter);
      window.removeEventListener('dragleave', leave);
      window.removeEventListener('dragover', overFn);
      window.removeEventListener('drop', drop);
    };
  }, [enabled]);
  return over;
}

export function Workspace({ projectId }: { projectId: string }) {
  const detail = useWorkspace((s) => s.detail);
  const loadError = useWorkspace((s) => s.loadError);
  const upload = useWorkspace((s) => s.upload);
  const connected = useApp((s) => s.connected);
  const tab = useUi((s) => s.tab);
  const setTab = useUi((s) => s.setTab);
  const fileInput = useRef<HTMLInputElement>(null);
  const dropping = useWindowFileDrop(!!detail);

  useEffect(() => {
    if (!connected) return;
    // Files may have moved since last time: check once the project is open (a stat per clip, cheap).
    void useWorkspace
      .getState()
      .open(projectId)
      .then(() => useWorkspace.getState().recheck(true));
    void useJobs.getState().load(projectId);
  }, [projectId, connected]);
  useEffect(
    () => () => {
      useWorkspace.getState().close();
      useJobs.getState().clear();
      usePlan.getState().clear();
    },
    [],
  );
  usePlanRefresh(projectId);

  if (loadError && !detail) {
    return (
      <div className="empty-state">
        <h2>Could not open this project</h2>
        <p>{loadError}</p>
        <button type="button" className="button" onClick={() => useApp.getState().open({ name: 'projects' })}>
          <Icon name="back" /> All projects
        </button>
      </div>
    );
  }
  if (!detail)
    return (
      <div className="loading" aria-busy="true">
        Loading project…
      </div>
    );

  return (
    <div className="workspace">
      <WorkspaceHeader />
      <div className={`workspace-body tab-${tab}`}>
        <Library />
        <section className="workspace-center" aria-label={TABS.find((t) => t.id === tab)?.label}>
          <div className="tabs" role="tablist" aria-label="Workspace views">
            {TABS.map((t) => (
              <button
                key={t.id}
                type="button"
                role="tab"
                id={`tab-${t.id}`}
                aria-controls="workspace-tabpanel"
                aria-selected={tab === t.id}
                className={tab === t.id ? 'tab is-active' : 'tab'}
                onClick={() => setTab(t.id)}
              >
                {t.label}
                {t.id === 'renders' ? <RunningBadge /> : null}
              </button>
            ))}
          </div>
          <div className="tab-panel" id="workspace-tabpanel" role="tabpanel" aria-labelledby={`tab-${tab}`}>
            {tab === 'mix' ? (
              <GroupsBoard />
            ) : tab === 'preview' ? (
              <PlanPreviewView />
            ) : tab === 'results' ? (
              <ResultsView projectId={projectId} />
            ) : (
              <RendersView />
            )}
          </div>
        </section>
        {tab !== 'renders' && tab !== 'results' ? <SettingsPanel /> : null}
      </div>
      <input
        ref={fileInput}
        id={FILE_INPUT_ID}
        type="file"
        accept="video/*,.mp4,.mov,.mkv,.webm,.m4v,.avi"
        multiple
        hidden
        aria-label="Choose video clips to import"
        data-testid="clip-input"
        onChange={(e) => {
          const files = [...(e.target.files ?? [])];
          const groupId = e.target.dataset.groupId || undefined;
          e.target.value = '';
          if (files.length) void useWorkspace.getState().importFiles(files, groupId);
        }}
      />
      {dropping ? (
        <div className="drop-overlay" aria-hidden="true">
          <div className="drop-overlay-card">
            <Icon name="upload" size={28} />
            <strong>Drop to import clips</strong>
            <span>
              Videos are added to the library
              {useApp.getState().info?.capabilities.upload ? ' (uploaded to the host)' : ''}.
            </span>
          </div>
        </div>
      ) : null}
      {upload ? (
        <div className="upload-progress" role="status" aria-live="polite">
          <span>
            Uploading {plural(upload.files, 'file')} · {formatPercent(upload.total ? upload.sent / upload.total : 0)}
          </span>
          <progress max={upload.total || 1} value={upload.sent} aria-label="Upload progress" />
        </div>
      ) : null}
    </div>
  );
}

function RunningBadge() {
  const running = useJobs((s) => s.jobs.filter((j) => j.status === 'running' || j.status === 'queued').length);
  return running > 0 ? (
    <span className="tab-badge" title={`${running} rendering`}>
      <span className="visually-hidden">{running} rendering</span>
    </span>
  ) : null;
}

function WorkspaceHeader() {
  const project = useWorkspace((s) => s.detail?.project);
  const preview = usePlan((s) => s.preview);
  const planError = usePlan((s) => s.error);
  const planning = usePlan((s) => s.loading);
  const connected = useApp((s) => s.connected);
  if (!project) return null;
  const rename = async () => {
    const name = await askProjectRename(project.name);
    if (name) await useWorkspace.getState().updateProject({ name });
  };
  const setMode = (mode: MixMode) => void useWorkspace.getState().updateProject({ mode });
  const files = filesOf(preview);
  const canRender = files > 0;
  return (
    <div className="workspace-header">
      <button
        type="button"
        className="icon-button"
        aria-label="Back to all projects"
        onClick={() => useApp.getState().open({ name: 'projects' })}
      >
        <Icon name="back" />
      </button>
      <h1 className="project-title">
        <button type="button" className="title-button" onClick={() => void rename()} title="Rename project">
          {project.name}
          <Icon name="pencil" size={13} className="title-edit" />
        </button>
      </h1>
      <fieldset className="segmented mode-switch">
        <legend className="visually-hidden">Mix mode</legend>
        {(['manual', 'auto'] as const).map((m) => (
          <label key={m} className={project.mode === m ? 'segment is-active' : 'segment'}>
            <input type="radio" name="mode" value={m} checked={project.mode === m} onChange={() => setMode(m)} />
            {m === 'manual' ? 'Groups' : 'Auto'}
          </label>
        ))}
      </fieldset>
      <div className="titlebar-spacer" />
      <div
        className={planning ? 'plan-summary is-stale' : 'plan-summary'}
        aria-live="polite"
        aria-busy={planning}
        data-testid="plan-summary"
      >
        {planError ? (
          <span className="plan-error" title={planError}>
            <Icon name="warning" /> {planError}
          </span>
        ) : preview ? (
          <>
            <span>
              <strong>{formatCount(preview.possible)}</strong> possible
            </span>
            <span>
              <strong>{formatCount(files)}</strong> to render
            </span>
            <CreditsSummary cost={preview.creditCost} />
          </>
        ) : (
          <span className="muted">Planning…</span>
        )}
      </div>
      <button
        type="button"
        className="button primary"
        disabled={!canRender || !connected}
        onClick={() => void render()}
        title={`Render (${modKey()}Enter)`}
      >
        <Icon name="render" /> Render {files > 0 ? formatCount(files) : ''}
      </button>
    </div>
  );
}
