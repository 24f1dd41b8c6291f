import { mkdtempSync, rmSync } from 'node:fs';
import { createServer as createHttpServer, type IncomingMessage, request, type ServerResponse } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Licensing, type LicensingOptions } from '../../desktop/src/licensing/service.ts';
import {
  activatedMachine,
  bearer,
  createLicense,
  grantCredits,
  machineRequest,
  registerUser,
  startApp,
} from './helpers.ts';

// Pay per output offline (issue 18, items 6 and 9): the app's licensing against the real server on loopback.
let app: FastifyInstance;
let url: string;
const dir = mkdtempSync(join(tmpdir(), 'vmp-allowance-'));
const opened: Licensing[] = [];
const OFFLINE = 'http://127.0.0.1:1';

beforeAll(async () => {
  app = await startApp({ offlineAllowanceCredits: 20 });
  url = await app.listen({ host: '127.0.0.1', port: 0 });
});
afterAll(async () => {
  for (const l of opened) await l.close();
  await app.close();
  rmSync(dir, { recursive: true, force: true });
});

let n = 0;
async function open(name: string, serverUrl: string, options: Partial<LicensingOptions> = {}) {
  const l = await Licensing.open({
    dataDir: join(dir, name),
    appVersion: '9.9.9',
    machineId: `m-allow-${name}`,
    background: false,
    timeoutMs: 700,
    actionBudgetMs: 700,
    retries: 0,
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
async function close(l: Licensing) {
  await l.close();
  opened.splice(opened.indexOf(l), 1);
}
async function customer(credits: number) {
  const user = await registerUser(app);
  const license = await createLicense(app, user.email);
  if (credits) await grantCredits(app, user.email, credits);
  const summary = async () =>
    (await app.inject({ method: 'GET', url: '/v1/credits', headers: bearer(user) })).json() as {
      balance: number;
      held: number;
      offlineHeld: number;
      available: number;
    };
  return { user, license, summary };
}

/** One 1-video job the way jobs.start pays it; true when it rendered without a watermark. */
async function renderOne(l: Licensing, id: string): Promise<boolean> {
  try {
    const payment = await l.beforeJob(1);
    if (payment.watermark !== null) return false;
    l.jobCreated(payment, id);
    l.outputCompleted(`${id}-out`, id);
    await l.jobEnded(id);
    return true;
  } catch (error) {
    expect(error).toMatchObject({ code: 'OFFLINE_ALLOWANCE_SPENT', status: 402 });
    expect((error as Error).message).toMatch(/Connect to the licensing server/);
    return false;
  }
}

describe('offline renders stop at the allowance the server holds (item 6)', () => {
  it('a proxy that passes validate and swallows reservations and usage gets no more than the 10 credits held', async () => {
    const { license, summary } = await customer(10);
    // Forwards everything to the real server but reservations and usage, which it accepts and never answers.
    const target = new URL(url);
    const swallowed: IncomingMessage[] = [];
    const proxy = createHttpServer((req: IncomingMessage, res: ServerResponse) => {
      if (req.url?.startsWith('/v1/credits/reservations') || req.url?.startsWith('/v1/credits/usage')) {
        swallowed.push(req);
        return;
      }
      const upstream = request(
        { host: target.hostname, port: target.port, path: req.url, method: req.method, headers: req.headers },
        (answer) => {
          res.writeHead(answer.statusCode ?? 502, answer.headers);
          answer.pipe(res);
        },
      );
      req.pipe(upstream);
    });
    await new Promise<void>((r) => proxy.listen(0, '127.0.0.1', r));
    const proxyUrl = `http://127.0.0.1:${(proxy.address() as { port: number }).port}`;
    try {
      const l = await open(`proxy-${++n}`, proxyUrl);
      await l.activate(license.licenseKey);
      // The lease's allowance is held on the server: min(balance, 20).
      expect(await summary()).toMatchObject({ balance: 10, held: 0, offlineHeld: 10, available: 0 });

      let free = 0;
      for (let i = 0; i < 18; i++) if (await renderOne(l, `job-proxy-${i}`)) free++;
      expect(free).toBe(10);
      expect(swallowed.length).toBeGreaterThanOrEqual(18);

      // The next heartbeat (validate passes the proxy) carries the usage chain's head: the 10 are debited.
      await l.heartbeat();
      expect(await summary()).toMatchObject({ balance: 0, offlineHeld: 0 });
      expect(await renderOne(l, 'job-proxy-after')).toBe(false);
      await close(l);
    } finally {
      proxy.closeAllConnections();
      await new Promise((r) => proxy.close(r));
    }
  }, 120_000);

  it("another machine's allowance is held from a reservation; the machine's own may be taken by its reservations", async () => {
    const { user, license, summary } = await customer(10);
    const a = await open(`own-a-${++n}`, url);
    await a.activate(license.licenseKey);
    expect(await summary()).toMatchObject({ offlineHeld: 10 });
    // The same machine may reserve all 10 (its allowance goes down by what the hold took).
    const payment = await a.beforeJob(10);
    expect(payment.mode).toBe('reserved');
    expect(await summary()).toMatchObject({ balance: 10, held: 10, offlineHeld: 0 });
    expect(a.offlineRoom().room).toBe(0);
    a.jobCreated(payment, 'job-own');
    await a.jobEnded('job-own');
    // Another machine of the account: only what is not held for the first.
    await a.heartbeat();
    const other = await activatedMachine(app, license.licenseKey);
    const res = await machineRequest(app, other, {
      method: 'POST',
      url: '/v1/credits/reservations',
      body: { jobId: 'job-other', amount: 1 },
    });
    expect(res.statusCode).toBe(402);
    expect(res.json()).toMatchObject({ error: { code: 'INSUFFICIENT_CREDITS', details: { available: 0 } } });
    expect(user.email).toBeTruthy();
  });
});

describe('offline usage cannot be erased (item 9)', () => {
  it('DELETE FROM charges stops offline renders, and the heartbeat still debits what was used', async () => {
    const { license, summary } = await customer(10);
    const name = `erase-${++n}`;
    const l = await open(name, url);
    await l.activate(license.licenseKey);
    await close(l);

    const offline = await open(name, OFFLINE);
    for (let i = 0; i < 3; i++) expect(await renderOne(offline, `job-erase-${i}`)).toBe(true);
    expect(offline.credits().pendingUsage).toBe(3);
    await close(offline);

    const db = new Database(join(dir, name, 'licensing.sqlite'));
    db.prepare('DELETE FROM charges').run();
    db.close();

    const erased = await open(name, OFFLINE);
    expect(erased.credits().pendingUsage).toBe(0);
    expect(await renderOne(erased, 'job-erase-after')).toBe(false);
    expect(erased.offlineRoom().message).toMatch(/altered/);
    await close(erased);

    const back = await open(name, url);
    await back.heartbeat();
    expect(await summary()).toMatchObject({ balance: 7 });
  });

  it('the server charges what a gap in the numbered usage entries added up to, once', async () => {
    const { user, license } = await customer(10);
    const machine = await activatedMachine(app, license.licenseKey);
    const at = new Date().toISOString();
    const send = (entries: unknown[]) =>
      machineRequest(app, machine, { method: 'POST', url: '/v1/credits/usage', body: { entries } });
    expect((await send([{ id: 'e1', amount: 1, at, seq: 1, total: 1 }])).json()).toMatchObject({ balance: 9 });
    // Entries 2 and 3 (2 credits) were deleted on the machine: entry 4 says the chain reached 4.
    expect((await send([{ id: 'e4', amount: 1, at, seq: 4, total: 4 }])).json()).toMatchObject({ balance: 6 });
    expect((await send([{ id: 'e4', amount: 1, at, seq: 4, total: 4 }])).json()).toMatchObject({
      balance: 6,
      duplicates: ['e4'],
    });
    const credits = (await app.inject({ method: 'GET', url: '/v1/credits', headers: bearer(user) })).json();
    expect(credits.transactions.map((t: { reason: string }) => t.reason)).toContain('offline-gap');
  });
});
