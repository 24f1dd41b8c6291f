import { postRunSummary, type WebhookOptions, webhookFailure } from './webhook.ts';

export interface MixRunEnd {
  project: string;
  made: number;
  failed: number;
  cancelled: boolean;
  credits: number;
  startedAt: number;
  outputs: string;
}

/** `vmp mix --notify-url`: POSTs the run's summary; a failure is a warning line, never the run's exit code. */
export async function notifyMixEnded(
  url: string,
  run: MixRunEnd,
  stderr: { write(s: string): unknown },
  options?: WebhookOptions,
): Promise<void> {
  const result = await postRunSummary(
    url,
    {
      project: run.project,
      status: run.cancelled ? 'cancelled' : run.failed ? 'failed' : 'completed',
      made: run.made,
      failed: run.failed,
      cancelled: 0,
      credits: run.credits,
      durationSeconds: Math.round((Date.now() - run.startedAt) / 1000),
      outputs: run.outputs,
    },
    options,
  );
  if (!result.ok) stderr.write(`Warning: ${webhookFailure(url, result)}\n`);
}
