import { z } from 'zod';
import { Clip, Job, Output, QueueState } from './entities.ts';
import { CreditsStatus, LicenseStatus, SyncStatus } from './licensing.ts';

/** Pushed from the app core to every connected renderer. Progress events are throttled by the sender. */
export const ApiEvent = z.discriminatedUnion('type', [
  z.object({ type: z.literal('job.updated'), job: Job }),
  z.object({ type: z.literal('output.updated'), output: Output }),
  /** Many outputs of a job changed at once (cancel or retry of the whole job): fetch what is shown again. */
  z.object({ type: z.literal('outputs.changed'), jobId: z.string() }),
  z.object({ type: z.literal('clip.updated'), clip: Clip }),
  z.object({ type: z.literal('project.changed'), projectId: z.string() }),
  z.object({ type: z.literal('projects.changed') }),
  z.object({ type: z.literal('queue.updated'), queue: QueueState }),
  z.object({ type: z.literal('license.updated'), license: LicenseStatus }),
  z.object({ type: z.literal('credits.updated'), credits: CreditsStatus }),
  z.object({ type: z.literal('sync.updated'), sync: SyncStatus }),
  z.object({
    type: z.literal('notice'),
    level: z.enum(['info', 'warning', 'error']),
    message: z.string(),
  }),
]);
export type ApiEvent = z.infer<typeof ApiEvent>;
export type ApiEventType = ApiEvent['type'];
