import type { Server } from 'node:http';
import type { ApiEvent, Job } from '@vmp/shared/api';
import { afterEach, describe, expect, it } from 'vitest';
import { EventHub } from '../core/events.ts';
import { type DesktopNotice, startJobNotifier } from './job-notifier.ts';
import { startReceiver } from './receiver.test-helper.ts';
import { type RunSummary, summaryOfJob, summaryText } from './summary.ts';
import { checkNotifyUrl, postRunSummary, webhookBody, webhookFailure } from './webhook.ts';

const servers: Server[] = [];
afterEach(async () => {
  for (const s of servers.splice(0)) await new Promise((r) => s.close(r));
});

const summary: RunSummary = {
  project: 'Summer ads',
  status: 'failed',
  made: 998,
  failed: 2,
  cancelled: 0,
  credits: 998,
  durationSeconds: 3725,
  outputs: '/videos/summer',
};

function job(status: Job['status'], extra: Partial<Job> = {}): Job {
  return {
    id: 'job-1',
    projectId: 'p1',
    status,
    settings: { format: '9:16', fit: 'cover', strategy: 'fast', seed: 1, clipsPerOutput: 3 } as Job['settings'],
    seed: 1,
    outputDir: '/videos/summer',
    total: 3,
    completed: status === 'running' ? 1 : 3,
    failed: 0,
    cancelled: 0,
    progress: status === 'running' ? 0.3 : 1,
    etaSeconds: null,
    createdAt: Date.parse('2026-01-01T10:00:00.000Z'),
    finishedAt: status === 'running' ? null : Date.parse('2026-01-01T10:01:30.000Z'),
    ...extra,
  };
}

describe('run summary webhook', () => {
  it('POSTs the summary as JSON once when the receiver answers', async () => {
    const receiver = await startReceiver([204]);
    servers.push(receiver.server);
    const result = await postRunSummary(receiver.url, summary);
    expect(result).toMatchObject({ ok: true, attempts: 1, status: 204 });
    expect(receiver.received).toHaveLength(1);
    expect(receiver.received[0]!.contentType).toBe('application/json');
    expect(receiver.received[0]!.body).toMatchObject({
      event: 'run.finished',
      project: 'Summer ads',
      made: 998,
      failed: 2,
      credits: 998,
      durationSeconds: 3725,
      outputs: '/videos/summer',
    });
    expect(receiver.received[0]!.body.text).toBe(summaryText(summary));
  });

  it('tries again 1 s after a failed first attempt', async () => {
    const receiver = await startReceiver([500, 200]);
    servers.push(receiver.server);
    const result = await postRunSummary(receiver.url, summary);
    expect(result).toMatchObject({ ok: true, attempts: 2, status: 200 });
    expect(receiver.received).toHaveLength(2);
    expect(receiver.received[1]!.at - receiver.received[0]!.at).toBeGreaterThanOrEqual(950);
  });

  it('gives up after 2 attempts and says so without printing the secret path', async () => {
    const receiver = await startReceiver([503]);
    servers.push(receiver.server);
    const result = await postRunSummary(receiver.url, summary, { delayMs: 10 });
    expect(result).toMatchObject({ ok: false, attempts: 2, status: 503 });
    expect(receiver.received).toHaveLength(2);
    const line = webhookFailure(receiver.url, result);
    expect(line).toContain('after 2 attempts: HTTP 503');
    expect(line).not.toContain('secret-token');
  });

  it('sends Slack only a text field', () => {
    expect(webhookBody('https://hooks.slack.com/services/T0/B0/XYZ', summary)).toEqual({ text: summaryText(summary) });
    expect(summaryText(summary)).toBe(
      'Summer ads: render finished with failures. 998 videos made, 2 failed; 998 credits; 1 h 2 min. Outputs: /videos/summer',
    );
  });

  it('refuses a URL that is not http(s), naming the field', () => {
    expect(() => checkNotifyUrl('ftp://example.com/x', '--notify-url')).toThrow(/--notify-url must be an http/);
    expect(() => checkNotifyUrl('not a url')).toThrow(/notifyUrl/);
  });
});

describe('job notifier', () => {
  it('announces a job that ran and ended, once, on the desktop and the webhook; not one that ended before', async () => {
    const receiver = await startReceiver([500, 200]);
    servers.push(receiver.server);
    const hub = new EventHub();
    const notices: DesktopNotice[] = [];
    const sent: boolean[] = [];
    const done = new Promise<void>((resolve) => {
      startJobNotifier({
        subscribe: (l) => hub.subscribe(l),
        notifyUrl: () => receiver.url,
        projectName: () => 'Summer ads',
        desktop: (n) => notices.push(n),
        warn: (m) => {
          throw new Error(m);
        },
        onSent: (_s, ok) => {
          sent.push(ok);
          resolve();
        },
      });
    });
    const emit = (e: ApiEvent) => hub.emit(e);
    emit({ type: 'job.updated', job: job('completed', { id: 'old-job' }) });
    emit({ type: 'job.updated', job: job('running') });
    emit({ type: 'job.updated', job: job('completed') });
    emit({ type: 'job.updated', job: job('completed') });
    await done;
    expect(notices).toEqual([
      {
        title: 'Summer ads: render finished',
        body: 'Summer ads: render finished. 3 videos made; 3 credits; 1 min 30 s. Outputs: /videos/summer',
      },
    ]);
    expect(sent).toEqual([true]);
    expect(receiver.received).toHaveLength(2);
    expect(receiver.received[1]!.body).toMatchObject({ project: 'Summer ads', made: 3, durationSeconds: 90 });
  });

  it('counts no credits for an unlicensed (watermarked) job', () => {
    const j = job('completed', { settings: { ...job('completed').settings, watermark: 'unlicensed' } });
    expect(summaryOfJob(j, 'P')?.credits).toBe(0);
  });
});
