import type { Job } from '@vmp/shared/api';
import { summaryOfJob, summaryText, summaryTitle } from '../../notify/summary.ts';

/** The part of the browser's Notification API this uses (window.Notification). */
export interface NotificationApi {
  readonly permission: 'default' | 'denied' | 'granted';
  requestPermission(): Promise<'default' | 'denied' | 'granted'>;
  new (title: string, options?: { body?: string; tag?: string }): unknown;
}

/**
 * `vmp serve` in a browser tab: a system notification when a job that ran in this tab's lifetime ends. Permission
 * is asked once (remembered in localStorage), when the first job starts running. Electron shows its own from main.
 */
export function createBrowserNotifier(api: NotificationApi | undefined, storage: Pick<Storage, 'getItem' | 'setItem'>) {
  const running = new Set<string>();
  const ASKED = 'vmp.notifications.asked';
  return {
    onJob(job: Job, projectName: string): void {
      if (!api) return;
      const summary = summaryOfJob(job, projectName);
      if (!summary) {
        running.add(job.id);
        if (api.permission === 'default' && !storage.getItem(ASKED)) {
          storage.setItem(ASKED, '1');
          void api.requestPermission().catch(() => undefined);
        }
        return;
      }
      if (!running.delete(job.id) || api.permission !== 'granted') return;
      new api(summaryTitle(summary), { body: summaryText(summary), tag: `vmp-job-${job.id}` });
    },
  };
}
