import { join } from 'node:path';
import type { ApiCall, Job } from '@vmp/shared/api';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
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
import { admin, customer, freePort, type ServerProcess, startServerProcess } from './server-process.ts';

// Pay per output, end to end: the real server (PGlite child, admin CLI), the real host in a child process (so it can
// be killed), real FFmpeg and Chromium. The server's balance is the judge of every step.
const run = withBrowserRun('licensing');
let server: ServerProcess;
let serverPort: number;
let host: HostProcess | undefined;
let user: Awaited<ReturnType<typeof customer>>;
let api: Awaited<ReturnType<typeof connectApi>>;
let projectId: string;
let paths: string[];

function hostEnv(): Record<string, string> {
  return {
    VMP_SERVER_URL: server.url,
    VMP_TRUST_SERVER_KEYS: 'dev',
    VMP_MACHINE_ID: 'm1-e2e-licensing-host',
    VMP_SECRET_STORE: 'key-file',
    VMP_KEY_DIR: join(run().dir, 'keys'),
    VMP_USAGE_SYNC_MS: '2000',
    VMP_SYNC_INTERVAL_MS: '3600000',
  };
}

async function startHost(): Promise<void> {
  host = await startHostProcess({
    dataDir: join(run().dir, 'data'),
    outputDir: join(run().dir, 'outputs'),
    ...(host ? { port: host.port } : {}),
    env: hostEnv(),
  });
  api = await connectApi(host.url);
}

async function finished(call: ApiCall, jobId: string, timeout = 240_000): Promise<Job> {
  return until(
    async () => {
      const job = await call('jobs.get', { jobId });
      return ['completed', 'failed', 'cancelled'].includes(job.status) ? job : null;
    },
    `job ${jobId} to finish`,
    timeout,
  );
}

beforeAll(async () => {
  serverPort = await freePort();
  server = await startServerProcess({ dataDir: join(run().dir, 'server'), port: serverPort });
  user = await customer(server.url, { credits: 5 });
  paths = await makeSixClips(join(run().dir, 'clips'));
  await startHost();
}, 240_000);

afterAll(async () => {
  api?.close();
  await host?.stop();
  await server?.stop();
});

describe('activate once, pay per output', () => {
  it('activates from the first-run prompt', async () => {
    const page = run().browser.page;
    await page.goto(host!.url);
    const prompt = page.getByRole('region', { name: 'Activate Video Mixer Pro' });
    await prompt.waitFor();
    await screenshot(page, 'licensing-0-first-run');
    await prompt.getByLabel('License key').fill(user.licenseKey);
    await prompt.getByRole('button', { name: 'Activate' }).click();
    await page.locator('[data-testid="balance"][data-state="active"]').waitFor();
    await until(async () => (await page.getByTestId('balance').textContent())?.includes('5 credits'), 'balance 5');
    await page.getByTestId('balance').click();
    const dialog = page.getByRole('dialog', { name: 'License' });
    await dialog.getByTestId('license-state').getByText('Active').waitFor();
    expect(await dialog.textContent()).toContain('PRO');
    // Seats come from the server's activation and heartbeat answers (the customer's license has 2).
    await until(
      async () => (await dialog.getByTestId('license-facts').textContent())?.includes('Seats1 of 2'),
      'seats',
    );
    await screenshot(page, 'licensing-1-license-screen');
    await page.keyboard.press('Escape');
    expect(await api.call('license.status', {})).toMatchObject({
      state: 'active',
      licenseType: 'PRO',
      seats: { used: 1, max: 2 },
    });
  });

  it('renders N outputs and the server balance falls by exactly N', async () => {
    const project = await api.call('projects.create', { name: 'Paid launch' });
    projectId = project.id;
    await importInPairs(api.call, projectId, paths);
    await api.call('projects.update', { projectId, settings: { count: 2 } });
    const page = run().browser.page;
    await page.goto(`${host!.url}#/projects/${projectId}`);
    await until(async () => (await page.locator('.plan-summary').textContent())?.includes('2 to render'), 'the plan');
    await page
      .getByRole('button', { name: /^Render 2/ })
      .first()
      .click();
    const [job] = await until(async () => {
      const jobs = await api.call('jobs.list', { projectId });
      return jobs.length ? jobs : null;
    }, 'the job');
    expect((await finished(api.call, job!.id)).completed).toBe(2);
    await until(async () => (await user.balance()) === 3, 'server balance 5 → 3');
    await until(async () => (await page.getByTestId('balance').textContent())?.includes('3 credits'), 'top bar 3');
    await screenshot(page, 'licensing-2-balance');
    expect(await api.call('credits.status', {})).toMatchObject({ balance: 3, pendingUsage: 0, online: true });
  }, 300_000);

  it('refuses a job it cannot pay before anything is queued, with the numbers', async () => {
    await api.call('projects.update', { projectId, settings: { count: 4 } });
    const jobsBefore = (await api.call('jobs.list', { projectId })).length;
    await expect(api.call('jobs.start', { projectId })).rejects.toThrow(
      'INSUFFICIENT_CREDITS: This job needs 4 credits; 3 are available.',
    );
    const page = run().browser.page;
    await page.getByRole('tab', { name: 'Preview' }).click();
    const line = page.getByTestId('plan-credits');
    await until(async () => (await line.textContent())?.includes('needs 4 credits; 3 are available'), 'short line');
    await page
      .getByRole('button', { name: /^Render 4/ })
      .first()
      .click();
    const dialog = page.getByRole('dialog', { name: 'Not enough credits' });
    expect(await dialog.getByTestId('shortfall-message').textContent()).toBe(
      'This job needs 4 credits; 3 are available.',
    );
    await dialog.getByRole('button', { name: 'Render 3' }).waitFor();
    await dialog.getByRole('button', { name: 'Buy credits' }).waitFor();
    await screenshot(page, 'licensing-3-cannot-pay');
    await page.keyboard.press('Escape');
    expect((await api.call('jobs.list', { projectId })).length).toBe(jobsBefore);
    expect(await user.balance()).toBe(3);
  });

  it('renders offline on the lease, then the server debits exactly that once it is back', async () => {
    await server.stop();
    await api.call('projects.update', { projectId, settings: { count: 2, seed: 7 } });
    const job = await api.call('jobs.start', { projectId });
    expect((await finished(api.call, job.id)).completed).toBe(2);
    const offline = await until(async () => {
      const c = await api.call('credits.status', {});
      return c.pendingUsage === 2 ? c : null;
    }, 'pendingUsage 2');
    expect(offline.online).toBe(false);
    expect((await api.call('license.status', {})).state).toBe('offline-grace');
    const page = run().browser.page;
    await until(async () => (await page.getByTestId('pending-sync').textContent())?.includes('2 pending sync'), 'ui');
    await screenshot(page, 'licensing-4-pending-sync');

    server = await startServerProcess({ dataDir: join(run().dir, 'server'), port: serverPort });
    // Uploaded by the host on its own, within a minute.
    await until(
      async () => (await api.call('credits.status', {})).pendingUsage === 0,
      'pending usage uploaded',
      60_000,
    );
    expect(await user.balance()).toBe(1);
    await api.call('credits.refresh', {});
    await new Promise((r) => setTimeout(r, 3000));
    expect(await user.balance()).toBe(1);
    expect(await api.call('credits.status', {})).toMatchObject({ balance: 1, pendingUsage: 0, online: true });
  }, 300_000);

  it('never charges an output twice when the host is killed mid-render', async () => {
    await admin(server.url, ['grant-credits', '--email', user.email, '--amount', '6', '--reason', 'e2e top-up']);
    expect(await user.balance()).toBe(7);
    await api.call('app.updateSettings', { concurrency: 1 });
    await api.call('projects.update', { projectId, settings: { count: 3, seed: 11, strategy: 'unique' } });
    const job = await api.call('jobs.start', { projectId });
    await until(async () => {
      const j = await api.call('jobs.get', { jobId: job.id });
      return j.completed >= 1 && j.completed < j.total;
    }, 'a job part-way through');
    await host!.kill();
    api.close();
    await startHost();
    expect((await finished(api.call, job.id)).completed).toBe(3);
    await until(async () => (await user.balance()) === 4, 'balance 7 → 4');
    await new Promise((r) => setTimeout(r, 3000));
    expect(await user.balance()).toBe(4);
    expect((await api.call('credits.status', {})).pendingUsage).toBe(0);
  }, 400_000);
});
