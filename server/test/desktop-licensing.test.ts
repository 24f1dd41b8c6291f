import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer as createHttpServer, request } from 'node:http';
import { createServer, type Server, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCore } from '../../desktop/src/core/core.ts';
import { dispatch } from '../../desktop/src/core/dispatch.ts';
import { hostPlatform } from '../../desktop/src/core/platform.ts';
import { Licensing, type LicensingOptions } from '../../desktop/src/licensing/service.ts';
import { makeClip } from '../../desktop/test/fixtures/media.ts';
import { fakeStripe } from './fake-stripe.ts';
import { bearer, createLicense, grantCredits, registerUser, startApp } from './helpers.ts';

// The app's licensing service (what license.*, credits.* and jobs.start call) against the real server on loopback.
let app: FastifyInstance;
let url: string;
let stripe: Awaited<ReturnType<typeof fakeStripe>>;
const dir = mkdtempSync(join(tmpdir(), 'vmp-app-licensing-'));
const opened: Licensing[] = [];

beforeAll(async () => {
  stripe = await fakeStripe();
  app = await startApp({
    stripe: { secretKey: 'sk_test_vmp', host: '127.0.0.1', port: stripe.port, protocol: 'http' },
    packs: { starter: { name: 'Starter: 100 credits', credits: 100, unitAmount: 900, currency: 'usd' } },
  });
  url = await app.listen({ host: '127.0.0.1', port: 0 });
});
afterAll(async () => {
  for (const l of opened) await l.close();
  await app.close();
  await new Promise((r) => stripe.server.close(r));
  rmSync(dir, { recursive: true, force: true });
});

let n = 0;
async function open(name: string, serverUrl = url, options: Partial<LicensingOptions> = {}) {
  const l = await Licensing.open({
    dataDir: join(dir, name),
    appVersion: '9.9.9',
    machineId: `m1-app-${name}`,
    background: false,
    env: {
      VMP_SERVER_URL: serverUrl,
      VMP_TRUST_SERVER_KEYS: 'dev',
      VMP_SECRET_STORE: 'key-file',
      VMP_KEY_DIR: join(dir, 'keys'),
    },
    ...options,
  });
  opened.push(l);
  return l;
}

async function customer(credits: number, maxActivations = 3) {
  const user = await registerUser(app);
  const license = await createLicense(app, user.email, { maxActivations });
  if (credits) await grantCredits(app, user.email, credits);
  const summary = async () =>
    (await app.inject({ method: 'GET', url: '/v1/credits', headers: bearer(user) })).json() as {
      balance: number;
      held: number;
    };
  return { user, license, summary };
}

async function closeAll(l: Licensing) {
  await l.close();
  opened.splice(opened.indexOf(l), 1);
}

describe('the app against the real server', () => {
  it('gets a Stripe Checkout URL for the license owner (credits.checkoutUrl)', async () => {
    const { user, license } = await customer(0);
    const l = await open(`checkout-${++n}`);
    await l.activate(license.licenseKey);
    const checkout = await l.checkoutUrl('starter');
    expect(checkout).toMatch(/^https:\/\/checkout\.stripe\.com\/c\/pay\/cs_test_/);
    expect(stripe.requests.at(-1)!.form.get('client_reference_id')).toBe(user.user.id);
    await expect(l.checkoutUrl('mega')).rejects.toMatchObject({ code: 'NOT_FOUND' });
  });

  it('shows the seats of the license (license.status)', async () => {
    const { license } = await customer(0, 3);
    const a = await open(`seats-a-${++n}`);
    expect((await a.activate(license.licenseKey)).seats).toEqual({ used: 1, max: 3 });
    const b = await open(`seats-b-${n}`);
    expect((await b.activate(license.licenseKey)).seats).toEqual({ used: 2, max: 3 });
    // The other machine learns it at its next heartbeat.
    expect((await a.heartbeat()).seats).toEqual({ used: 2, max: 3 });
    await b.deactivate();
    expect((await a.heartbeat()).seats).toEqual({ used: 1, max: 3 });
  });

  it('refuses to retry outputs of a settled job that the balance cannot pay, with the numbers', async () => {
    const { license, summary } = await customer(4);
    const l = await open(`retry-${++n}`);
    await l.activate(license.licenseKey);
    // A 3-video job: 1 completes, 2 fail; the job ends and its hold is settled (1 credit debited).
    const payment = await l.beforeJob(3);
    expect(payment.mode).toBe('reserved');
    l.jobCreated(payment, 'job-retry-1');
    l.outputCompleted('out-1', 'job-retry-1');
    await l.jobEnded('job-retry-1');
    expect(await summary()).toMatchObject({ balance: 3, held: 0 });

    // While a hold is open it covers a retried output: nothing to check.
    const open2 = await l.beforeJob(1);
    l.jobCreated(open2, 'job-retry-open');
    await expect(l.beforeRetry('job-retry-open', 1)).resolves.toBeUndefined();

    // 3 - 1 held = 2 available: retrying both failed videos is fine; with 1 retry already waiting, it is not.
    await expect(l.beforeRetry('job-retry-1', 2)).resolves.toBeUndefined();
    await expect(l.beforeRetry('job-retry-1', 2, 1)).rejects.toMatchObject({
      code: 'INSUFFICIENT_CREDITS',
      message: 'Retrying 2 videos needs 2 credits; 1 is available.',
      details: { needed: 2, available: 1 },
    });
    // Unlicensed jobs (no ledger row) are not charged: never refused.
    await expect(l.beforeRetry('job-unlicensed', 50)).resolves.toBeUndefined();
  });

  it('does not wait on a server that accepts and never answers: offline rules within the budget, with a notice', async () => {
    const { license, summary } = await customer(5);
    const name = `hang-${++n}`;
    const first = await open(name);
    await first.activate(license.licenseKey);
    await closeAll(first);

    // A TCP server on loopback that accepts every connection and never sends a byte.
    const sockets: Socket[] = [];
    const hang: Server = createServer((socket) => void sockets.push(socket));
    await new Promise<void>((r) => hang.listen(0, '127.0.0.1', r));
    const hangUrl = `http://127.0.0.1:${(hang.address() as { port: number }).port}`;
    try {
      // Default per-attempt timeout (8 s) and retries (2): only the whole budget can stop it early.
      const l = await open(name, hangUrl);
      const payment = await l.beforeJob(2);
      expect(payment).toMatchObject({ licensed: true, mode: 'offline', watermark: null });
      expect(payment.notice).toMatch(/did not answer within 5 s/);
      expect(sockets).toHaveLength(1);
      expect(l.status().state).toBe('offline-grace');
      l.jobCreated(payment, 'job-hang');
      l.outputCompleted('hang-out-1', 'job-hang');
      expect(l.credits().pendingUsage).toBe(1);
      await closeAll(l);
    } finally {
      for (const s of sockets) s.destroy();
      await new Promise((r) => hang.close(r));
    }
    // Back online: the usage goes up, and nothing stays held.
    const back = await open(name);
    await back.flush();
    expect(back.credits().pendingUsage).toBe(0);
    expect(await summary()).toMatchObject({ balance: 4, held: 0 });
  });

  it('gives back a hold the server made although its answer came too late', async () => {
    const { license, summary } = await customer(5);
    const name = `late-${++n}`;
    const first = await open(name);
    await first.activate(license.licenseKey);
    await closeAll(first);

    // A proxy that forwards to the real server (which makes the hold) and never passes the answer back.
    const target = new URL(url);
    const late = createHttpServer((req, res) => {
      const upstream = request(
        { host: target.hostname, port: target.port, path: req.url, method: req.method, headers: req.headers },
        (answer) => answer.resume(),
      );
      req.pipe(upstream);
      res.on('close', () => upstream.destroy());
    });
    await new Promise<void>((r) => late.listen(0, '127.0.0.1', r));
    const lateUrl = `http://127.0.0.1:${(late.address() as { port: number }).port}`;
    try {
      const l = await open(name, lateUrl, { actionBudgetMs: 1500 });
      const payment = await l.beforeJob(3);
      expect(payment.mode).toBe('offline');
      expect(await summary()).toMatchObject({ balance: 5, held: 3 });
      await closeAll(l);
    } finally {
      late.closeAllConnections();
      await new Promise((r) => late.close(r));
    }
    const back = await open(name);
    await back.flush();
    expect(await summary()).toMatchObject({ balance: 5, held: 0 });
  });

  it('jobs.retryFailed and outputs.retry check the balance once the job is settled (core, real FFmpeg)', async () => {
    const { user, license, summary } = await customer(3);
    const root = join(dir, `core-${++n}`);
    const media = join(root, 'media');
    const core = createCore({
      dataDir: join(root, 'data'),
      defaultOutputDir: join(root, 'out'),
      platform: hostPlatform({ PATH: '' }, 'linux'),
      backoffBaseMs: 10,
      licensing: {
        machineId: `m1-core-${n}`,
        background: false,
        env: {
          VMP_SERVER_URL: url,
          VMP_TRUST_SERVER_KEYS: 'dev',
          VMP_SECRET_STORE: 'key-file',
          VMP_KEY_DIR: join(dir, 'keys'),
        },
      },
    });
    const call = async (method: string, input: unknown) => {
      const result = await dispatch(core, method, input);
      if (!result.ok) throw Object.assign(new Error(result.error.message), result.error);
      return result.output as Record<string, unknown> & { id: string; status: string };
    };
    try {
      expect(await call('license.activate', { licenseKey: license.licenseKey })).toMatchObject({ state: 'active' });
      const hooks = [
        await makeClip(media, 'hook-a', { color: 'red', duration: 0.4 }),
        await makeClip(media, 'hook-b', { color: 'blue', duration: 0.4 }),
      ];
      const body = await makeClip(media, 'body', { duration: 0.4 });
      const project = await call('projects.create', { name: 'Retry' });
      const groups = (await call('projects.get', { projectId: project.id })).groups as { id: string }[];
      await call('clips.import', { projectId: project.id, paths: hooks, groupId: groups[0]!.id });
      await call('clips.import', { projectId: project.id, paths: [body], groupId: groups[1]!.id });
      await call('groups.delete', { groupId: groups[2]!.id }).catch(() => {});
      // The hooks go bad after their analysis: both videos fail for real (FFmpeg cannot read them).
      for (const h of hooks) writeFileSync(h, 'not a video any more\n');
      const job = await call('jobs.start', { projectId: project.id });
      const finished = async () => {
        for (;;) {
          const j = await call('jobs.get', { jobId: job.id });
          if (['completed', 'failed', 'cancelled'].includes(j.status)) return j;
          await new Promise((r) => setTimeout(r, 100));
        }
      };
      expect((await finished()).status).toBe('failed');
      // The hold is released (nothing completed); then the account spends down to 1 credit elsewhere.
      for (let i = 0; (await summary()).held !== 0 && i < 100; i++) await new Promise((r) => setTimeout(r, 100));
      expect(await summary()).toMatchObject({ balance: 3, held: 0 });
      await grantCredits(app, user.email, -2);

      const refused = await dispatch(core, 'jobs.retryFailed', { jobId: job.id });
      expect(refused).toMatchObject({
        ok: false,
        error: { code: 'INSUFFICIENT_CREDITS', message: 'Retrying 2 videos needs 2 credits; 1 is available.' },
      });
      const { items: outputs } = (await call('outputs.list', { jobId: job.id })) as unknown as {
        items: { id: string; status: string }[];
      };
      expect(outputs.map((o) => o.status)).toEqual(['failed', 'failed']);
      // The queue waits, so the retried video stays pending (charged when it completes) while the next is asked for.
      await call('queue.pause', {});
      // One video is affordable: it is requeued.
      expect(await call('outputs.retry', { outputId: outputs[0]!.id })).toMatchObject({ status: 'pending' });
      // The next one is not while that one still waits to be charged.
      const second = await dispatch(core, 'outputs.retry', { outputId: outputs[1]!.id });
      expect(second).toMatchObject({ ok: false, error: { code: 'INSUFFICIENT_CREDITS' } });
      await call('queue.resume', {});
      await finished();
    } finally {
      await core.close();
    }
  });
});
