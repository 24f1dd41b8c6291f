import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningHost } from '../../src/host/index.ts';
import { makeClip } from '../fixtures/media.ts';
import { type Browser, connectApi, type Session, screenshot, startSession, until } from './helpers.ts';

// 10,000 outputs in the gallery: the queue is paused so nothing renders; the list must stay virtualised and paged.
let session: Session;
let dir: string;
let host: RunningHost;
let browser: Browser;

beforeAll(async () => {
  session = await startSession('scale');
  ({ dir, host, browser } = session);
});

afterAll(async () => {
  await session?.close();
});

interface Scrollable {
  scrollTop: number;
  scrollHeight: number;
}

describe('a job of 10,000 outputs', () => {
  it('keeps the gallery virtualised and pages outputs as they scroll into view', async () => {
    const api = await connectApi(host.url);
    await api.call('queue.pause', {});
    const project = await api.call('projects.create', { name: 'Big batch', mode: 'auto' });
    const paths: string[] = [];
    // Auto mode, 3 of 25 clips in order: 13,800 possible outputs.
    for (let i = 0; i < 25; i++)
      paths.push(
        await makeClip(join(dir, 'clips'), `c${i}`, {
          duration: 0.6,
          audio: false,
          color: `0x${(i * 9_000_000 + 0x224466).toString(16).slice(-6)}`,
        }),
      );
    await api.call('clips.import', { projectId: project.id, paths });
    await api.call('projects.update', { projectId: project.id, settings: { count: 10_000, clipsPerOutput: 3 } });
    await until(
      async () => (await api.call('projects.get', { projectId: project.id })).clips.every((c) => c.status === 'ok'),
      'analysis',
    );
    const job = await api.call('jobs.start', { projectId: project.id });
    expect(job.total).toBe(10_000);
    api.close();

    const page = browser.page;
    await page.goto(`${host.url}#/projects/${project.id}`);
    await page.getByText('Connected').waitFor();
    await page.getByRole('tab', { name: 'Renders' }).click();
    await page.getByText('10,000 outputs', { exact: true }).waitFor();
    await page.getByText('Queue paused').waitFor();
    await until(async () => (await page.getByTestId('output-card').count()) > 0, 'the first cards');
    const firstCount = await page.locator('.output-card').count();
    expect(firstCount).toBeGreaterThan(0);
    expect(firstCount).toBeLessThan(150);

    // Jump to the end: the last page loads, and the DOM still holds only what is near the viewport.
    await page.getByTestId('gallery').evaluate((el) => {
      const s = el as unknown as Scrollable;
      s.scrollTop = s.scrollHeight;
    });
    await page
      .getByRole('article', { name: /Output 10000|-10000-/ })
      .or(page.locator('.output-index', { hasText: '#10000' }))
      .first()
      .waitFor();
    expect(await page.locator('.output-card').count()).toBeLessThan(150);
    await screenshot(page, '7-gallery-10000');

    // Cancel from the UI: every unfinished output is cancelled.
    await page.getByRole('button', { name: 'Cancel job' }).click();
    await until(
      async () => (await page.locator('.job-card .pill').first().textContent()) === 'Cancelled',
      'the job to be cancelled',
    );
    await page.getByRole('button', { name: /Retry 10,000/ }).waitFor();
  }, 300_000);
});
