import { readdir, stat } from 'node:fs/promises';
import { join } from 'node:path';
import type { Job, Output } from '@vmp/shared/api';
import { afterAll, describe, expect, it } from 'vitest';
import {
  connectApi,
  type HostProcess,
  importInPairs,
  makeSixClips,
  screenshot,
  startHostProcess,
  until,
  withBrowserRun,
} from './helpers.ts';

// The host dies mid-render (SIGKILL, no shutdown), comes back on the same data folder and port;
// the open page reconnects by itself and the job finishes without rendering any output twice.
// Six re-encoded 1080×1920 outputs one at a time on a shared 2-core machine: minutes, not seconds.
const run = withBrowserRun('crash');
let host: HostProcess | undefined;

afterAll(async () => {
  await host?.stop();
});

async function mp4sUnder(folder: string): Promise<string[]> {
  const entries = await readdir(folder, { recursive: true }).catch(() => [] as string[]);
  return entries.map(String).filter((f) => f.endsWith('.mp4'));
}

describe('host crash during a render', () => {
  it('resumes the job after a restart without rendering an output twice', async () => {
    const { dir, browser } = run();
    const data = join(dir, 'data');
    const outputs = join(dir, 'outputs');
    host = await startHostProcess({ dataDir: data, outputDir: outputs });

    // Setup through the API (the UI journey is covered by app.test.ts): 2×2×2 clips, 6 unique outputs, one at a time.
    const api = await connectApi(host.url);
    const paths = await makeSixClips(join(dir, 'clips'));
    await api.call('app.updateSettings', { concurrency: 1 });
    const project = await api.call('projects.create', { name: 'Crash test' });
    await importInPairs(api.call, project.id, paths);
    await api.call('projects.update', { projectId: project.id, settings: { count: 6, strategy: 'unique' } });
    await until(async () => {
      const d = await api.call('projects.get', { projectId: project.id });
      return d.clips.length === 6 && d.clips.every((c) => c.status === 'ok');
    }, 'clip analysis');

    const page = browser.page;
    await page.goto(`${host.url}#/projects/${project.id}`);
    await page.getByText('Connected').waitFor();
    await until(async () => (await page.locator('.plan-summary').textContent())?.includes('6 to render'), 'the plan');
    await page.getByRole('button', { name: /^Render 6/ }).click();
    await page.getByTestId('job-card').waitFor();

    // Wait until some, not all, outputs are done; then note what is on disk and kill the host at once.
    const jobs = await until(async () => {
      const list = await api.call('jobs.list', { projectId: project.id });
      const job = list[0];
      return job && job.completed >= 2 && job.completed < job.total ? list : null;
    }, 'a job part-way through');
    const job = jobs[0] as Job;
    await screenshot(page, '4-queue-in-progress');
    const before = await api.call('outputs.list', { jobId: job.id, status: 'completed', limit: 100 });
    await host.kill();
    api.close();
    expect(before.items.length).toBeGreaterThanOrEqual(2);
    expect(before.items.length).toBeLessThan(6);
    const stamps = new Map<string, number>();
    for (const o of before.items as Output[]) stamps.set(o.id, (await stat(o.path!)).mtimeMs);

    // The page notices and says so.
    await page.getByText('Reconnecting…').first().waitFor();
    expect(await page.getByRole('status').filter({ hasText: 'Lost the connection' }).count()).toBe(1);
    await screenshot(page, '8-reconnecting');

    host = await startHostProcess({ dataDir: data, outputDir: outputs, port: host.port });
    await page.getByText('Connected').waitFor();
    await until(
      async () => (await page.getByTestId('job-progress').first().textContent()) === '100 %',
      'the job to finish',
      180_000,
    );
    await until(
      async () => (await page.locator('[data-testid="output-card"][data-status="completed"]').count()) === 6,
      'six outputs',
    );

    const after = await connectApi(host.url);
    const finished = await after.call('jobs.get', { jobId: job.id });
    const all = await after.call('outputs.list', { jobId: job.id, limit: 100 });
    after.close();
    expect(finished).toMatchObject({ status: 'completed', completed: 6, failed: 0 });
    expect(all.items.every((o) => o.status === 'completed')).toBe(true);
    // Outputs finished before the crash were not rendered again: same file, untouched.
    for (const o of before.items) {
      expect((await stat(o.path!)).mtimeMs, o.path!).toBe(stamps.get(o.id));
      expect(all.items.find((x) => x.id === o.id)?.attempts).toBe(o.attempts);
    }
    // One file per output, no leftovers or duplicates from the interrupted one.
    const files = await mp4sUnder(outputs);
    expect(files).toHaveLength(6);
    expect(new Set(all.items.map((o) => o.path)).size).toBe(6);
  }, 300_000);
});
