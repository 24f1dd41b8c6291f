import type { ApiEvent } from '@vmp/shared/api';
import { type RunSummary, summaryOfJob, summaryText, summaryTitle } from './summary.ts';
import { postRunSummary, type WebhookOptions, webhookFailure } from './webhook.ts';

export interface DesktopNotice {
  title: string;
  body: string;
}

export interface JobNotifierOptions {
  subscribe(listener: (event: ApiEvent) => void): () => void;
  /** The webhook URL set now (AppSettings.notifyUrl), if any. */
  notifyUrl(): string | null | undefined;
  projectName(projectId: string): string;
  /** The host's desktop notification (Electron's Notification); absent: none. */
  desktop?: (notice: DesktopNotice) => void;
  warn(message: string): void;
  webhook?: WebhookOptions;
  /** Called after the webhook settled (tests). */
  onSent?: (summary: RunSummary, ok: boolean) => void;
}

/**
 * Tells the user once per run when a job ends: a desktop notification and the webhook. Only jobs seen running in
 * this session count, so jobs that ended before a restart are not announced again.
 */
export function startJobNotifier(options: JobNotifierOptions): () => void {
  const running = new Set<string>();
  return options.subscribe((event) => {
    if (event.type !== 'job.updated') return;
    const { job } = event;
    let project = job.projectId;
    try {
      project = options.projectName(job.projectId);
    } catch {}
    const summary = summaryOfJob(job, project);
    if (!summary) {
      running.add(job.id);
      return;
    }
    if (!running.delete(job.id)) return;
    options.desktop?.({ title: summaryTitle(summary), body: summaryText(summary) });
    const url = options.notifyUrl();
    if (!url) return;
    void postRunSummary(url, summary, options.webhook).then((result) => {
      if (!result.ok) options.warn(webhookFailure(url, result));
      options.onSent?.(summary, result.ok);
    });
  });
}
