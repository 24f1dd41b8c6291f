import type { Job } from '@vmp/shared/api';
import { CREDITS_PER_OUTPUT } from '@vmp/shared/media';

/** What the user hears when a run ends: the webhook's JSON and the desktop notification's text. */
export interface RunSummary {
  project: string;
  status: 'completed' | 'failed' | 'cancelled';
  made: number;
  failed: number;
  cancelled: number;
  /** Credits the made outputs cost (0 when unlicensed: watermarked, nothing charged). */
  credits: number;
  durationSeconds: number;
  /** Folder (or storage URL) where the outputs are. */
  outputs: string;
}

/** A finished job's summary; undefined while it still runs. */
export function summaryOfJob(job: Job, project: string): RunSummary | undefined {
  if (job.status !== 'completed' && job.status !== 'failed' && job.status !== 'cancelled') return undefined;
  const end = job.finishedAt ?? Date.now();
  return {
    project,
    status: job.status,
    made: job.completed,
    failed: job.failed,
    cancelled: job.cancelled,
    credits: job.settings.watermark ? 0 : job.completed * CREDITS_PER_OUTPUT,
    durationSeconds: Math.max(0, Math.round((end - job.createdAt) / 1000)),
    outputs: job.outputDir,
  };
}

function duration(seconds: number): string {
  if (seconds < 60) return `${seconds} s`;
  const m = Math.floor(seconds / 60);
  if (m < 60) return `${m} min ${seconds % 60} s`;
  return `${Math.floor(m / 60)} h ${m % 60} min`;
}

/** Title of the desktop notification. */
export function summaryTitle(s: RunSummary): string {
  const verb = s.status === 'completed' ? 'finished' : s.status === 'failed' ? 'finished with failures' : 'cancelled';
  return `${s.project}: render ${verb}`;
}

/** One line for people: what was made, what failed, what it cost, how long it took and where the videos are. */
export function summaryText(s: RunSummary): string {
  const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;
  const parts = [`${plural(s.made, 'video')} made`];
  if (s.failed) parts.push(`${s.failed} failed`);
  if (s.cancelled) parts.push(`${s.cancelled} cancelled`);
  return `${summaryTitle(s)}. ${parts.join(', ')}; ${plural(s.credits, 'credit')}; ${duration(s.durationSeconds)}. Outputs: ${s.outputs}`;
}
