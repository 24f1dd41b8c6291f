import { existsSync } from 'node:fs';
import { removePartFilesIn } from '../engine/render/part-file.ts';
import type { Store } from '../store/store.ts';

/**
 * After a previous run (crash or not): outputs left PROCESSING by a dead process go back to PENDING, unless their
 * final file exists: the renderer only renames a complete file into place, so a final file means the render
 * finished before the crash. Stray partial files of unfinished jobs are removed and job statuses recomputed.
 */
export function recoverOutputs(store: Store, queuePaused: boolean): void {
  const jobIds = new Set<string>();
  for (const output of store.outputs.withStatus('processing')) {
    jobIds.add(output.jobId);
    if (output.path && existsSync(output.path)) {
      store.outputs.transition(output.id, ['processing'], { status: 'completed', progress: 1, error: null });
    } else {
      store.outputs.transition(output.id, ['processing'], { status: 'pending', progress: 0 });
    }
  }
  for (const jobId of store.jobs.openIds()) jobIds.add(jobId);
  for (const jobId of jobIds) {
    removePartFilesIn(store.jobs.row(jobId).outputDir);
    store.jobs.refreshStatus(jobId, queuePaused);
  }
}
