import type { JobStatus } from '@vmp/shared/api';
import type { OutputCounts } from './rows.ts';

/**
 * A job's status follows from its outputs. Finished jobs: any failure wins, then any cancellation, else completed.
 * Unfinished jobs: paused when the queue is, running once anything started, queued before that. A job whose
 * outputs are all finished but not yet all checked (`checking`: pre-flight and near-duplicate report owed) is running.
 */
export function deriveJobStatus(counts: OutputCounts, queuePaused: boolean, checking = false): JobStatus {
  const open = counts.pending + counts.processing;
  if (open === 0) {
    if (checking) return 'running';
    if (counts.failed > 0) return 'failed';
    if (counts.cancelled > 0) return 'cancelled';
    return 'completed';
  }
  if (queuePaused && counts.processing === 0) return 'paused';
  if (counts.processing > 0 || counts.completed + counts.failed + counts.cancelled > 0) return 'running';
  return 'queued';
}
