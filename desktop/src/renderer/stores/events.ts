import type { ApiClient, ApiEvent } from '@vmp/shared/api';
import { createBrowserNotifier } from '../lib/browser-notify.ts';
import { useApp } from './app.ts';
import { useJobs } from './jobs.ts';
import { useLicensing } from './licensing.ts';
import { useProjects } from './projects.ts';
import { toast } from './toasts.ts';
import { useWorkspace } from './workspace.ts';

let notifier: ReturnType<typeof createBrowserNotifier> | undefined;
/** System notifications when a job ends, in a browser tab only (Electron's main process shows its own). */
function browserNotifier() {
  const info = useApp.getState().info;
  if (!info) return { onJob: () => {} };
  const browser = info.transport === 'browser' && typeof Notification !== 'undefined';
  notifier ??= createBrowserNotifier(browser ? Notification : undefined, localStorage);
  return notifier;
}

function projectName(projectId: string): string {
  const detail = useWorkspace.getState().detail;
  return detail?.project.id === projectId ? detail.project.name : 'Video Mixer Pro';
}

/** Route one pushed event to the stores that care. */
export function dispatchEvent(event: ApiEvent): void {
  switch (event.type) {
    case 'job.updated':
      useJobs.getState().onJob(event.job);
      browserNotifier().onJob(event.job, projectName(event.job.projectId));
      return;
    case 'output.updated':
      useJobs.getState().onOutput(event.output);
      return;
    case 'outputs.changed':
      useJobs.getState().onOutputsChanged(event.jobId);
      return;
    case 'clip.updated':
      useWorkspace.getState().applyEvent({ type: 'clip', clip: event.clip });
      return;
    case 'project.changed':
      useWorkspace.getState().applyEvent({ type: 'project', projectId: event.projectId });
      return;
    case 'projects.changed':
      if (useApp.getState().screen.name === 'projects') void useProjects.getState().load();
      return;
    case 'queue.updated':
      useJobs.getState().onQueue(event.queue);
      return;
    case 'license.updated':
      useLicensing.getState().onLicense(event.license);
      return;
    case 'credits.updated':
      useLicensing.getState().onCredits(event.credits);
      return;
    case 'sync.updated':
      useLicensing.getState().onSync(event.sync);
      return;
    case 'notice':
      if (event.level === 'error') toast.error(event.message);
      else if (event.level === 'warning') toast.warning(event.message);
      else toast.info(event.message);
      return;
  }
}

/** After a reconnect, events may have been missed: fetch whatever is on screen again. */
export function resync(): void {
  void useApp.getState().loadInfo();
  void useLicensing.getState().load();
  const screen = useApp.getState().screen;
  if (screen.name === 'projects') void useProjects.getState().load();
  else {
    void useWorkspace.getState().reload();
    void useJobs.getState().load(screen.projectId);
  }
}

export function bindClient(client: ApiClient): () => void {
  const offEvents = client.subscribe(dispatchEvent);
  let wasConnected = false;
  const offConnection = client.onConnectionChange?.((connected) => {
    useApp.getState().setConnected(connected);
    if (connected && wasConnected === false && useApp.getState().info) resync();
    wasConnected = connected;
  });
  if (!client.onConnectionChange) useApp.getState().setConnected(true);
  return () => {
    offEvents();
    offConnection?.();
  };
}
