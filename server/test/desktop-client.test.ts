import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { InsufficientCreditsError, LicenseRevokedError, VersionConflictError } from '@vmp/shared/http';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  FileLicenseStore,
  LeaseInvalidError,
  LicensingClient,
  NotActivatedError,
  OfflineError,
  ProjectSyncClient,
  UsageLedger,
} from '../../desktop/src/licensing/index.ts';
import { adminHeaders, bearer, createLicense, grantCredits, registerUser, startApp } from './helpers.ts';

let app: FastifyInstance;
let url: string;
const dir = mkdtempSync(join(tmpdir(), 'vmp-client-'));
beforeAll(async () => {
  app = await startApp();
  url = await app.listen({ host: '127.0.0.1', port: 0 });
});
afterAll(async () => {
  await app.close();
  rmSync(dir, { recursive: true, force: true });
});

// Keys as the test server publishes them (VMP_TRUST_SERVER_KEYS=dev).
const DEV = { mode: 'dev' } as const;

let n = 0;
async function setup(credits = 0) {
  const user = await registerUser(app);
  const license = await createLicense(app, user.email, { maxActivations: 2 });
  if (credits) await grantCredits(app, user.email, credits);
  const storePath = join(dir, `license-${++n}.json`);
  const machineId = `m1-test-machine-${n}`;
  const make = (serverUrl = url, id = machineId) =>
    new LicensingClient({
      serverUrl,
      store: new FileLicenseStore(storePath),
      machineId: id,
      appVersion: '1.2.3',
      trust: DEV,
    });
  return { user, license, client: make(), make, storePath };
}

describe('desktop licensing client against the real server', () => {
  it('activates over HTTP, then verifies the lease offline from its cached JWKS', async () => {
    const { client, license, make } = await setup();
    await expect(client.validate()).rejects.toBeInstanceOf(NotActivatedError);
    const claims = await client.activate(license.licenseKey);
    expect(claims).toMatchObject({ lic: license.licenseId, typ: 'PRO', mid: 'm1-test-machine-1' });

    // A new process with the same store and an unreachable server still runs on the lease.
    const offline = make('http://127.0.0.1:1');
    const checked = await offline.check();
    expect(checked.online).toBe(false);
    expect(checked.claims.sub).toBe(claims.sub);
    // ...until the grace period ends.
    await expect(offline.verifyOffline(claims.exp + 3600)).rejects.toMatchObject({ reason: 'EXPIRED' });
    await expect(offline.validate()).rejects.toBeInstanceOf(OfflineError);

    // A server answering 5xx is treated like no server; a 4xx refusal is not (see the revoked test).
    const failing = createServer((_req, res) => {
      res.statusCode = 503;
      res.setHeader('content-type', 'application/json');
      res.end(JSON.stringify({ error: { code: 'SERVICE_UNAVAILABLE', message: 'maintenance' } }));
    });
    await new Promise<void>((r) => failing.listen(0, '127.0.0.1', r));
    const port = (failing.address() as AddressInfo).port;
    try {
      expect((await make(`http://127.0.0.1:${port}`).check()).online).toBe(false);
    } finally {
      await new Promise((r) => failing.close(r));
    }

    // Online again: a fresh lease.
    expect((await make().check()).online).toBe(true);
  });

  it('detects a tampered stored lease and a lease for another machine', async () => {
    const { client, license, make, storePath } = await setup();
    await client.activate(license.licenseKey);
    const store = new FileLicenseStore(storePath);
    const state = await store.load();
    const [h, p, s] = state.lease!.split('.');
    const payload = JSON.parse(Buffer.from(p!, 'base64url').toString());
    await store.save({
      ...state,
      lease: `${h}.${Buffer.from(JSON.stringify({ ...payload, typ: 'ENTERPRISE' })).toString('base64url')}.${s}`,
    });
    await expect(make('http://127.0.0.1:1').verifyOffline()).rejects.toMatchObject({ reason: 'BAD_SIGNATURE' });
    await store.save(state);
    const otherMachine = make('http://127.0.0.1:1', 'm1-someone-else');
    await expect(otherMachine.verifyOffline()).rejects.toBeInstanceOf(LeaseInvalidError);
  });

  it('reserves and commits credits, with typed errors', async () => {
    const { client, license } = await setup(10);
    await client.activate(license.licenseKey);
    const hold = await client.reserve('render-1', 6);
    expect(hold.status).toBe('held');
    expect((await client.reserve('render-1', 6)).id).toBe(hold.id);
    await expect(client.reserve('render-2', 5)).rejects.toBeInstanceOf(InsufficientCreditsError);
    expect(await client.commit(hold.id, 4)).toMatchObject({ status: 'committed', used: 4 });
    expect(await client.credits()).toMatchObject({ balance: 6, held: 0, available: 6 });
    // Priced by shared/src/media.ts: one credit per output.
    const second = await client.reserveOutputs('render-2', 5);
    expect(second.amount).toBe(5);
    expect((await client.release(second.id)).status).toBe('released');
  });

  it('records offline renders in an append-only ledger and debits them once', async () => {
    const { client, license, user } = await setup(10);
    await client.activate(license.licenseKey);
    const ledger = new UsageLedger(join(dir, `usage-${n}.jsonl`));
    await ledger.record(2, 'offline-a');
    await ledger.record(3, 'offline-b');
    expect(await ledger.sync(client)).toEqual({ sent: 2, balance: 5 });
    expect(await ledger.sync(client)).toEqual({ sent: 0, balance: undefined });
    // A crash after the server applied an entry but before the ack line: the resend changes nothing.
    const copy = new UsageLedger(join(dir, `usage-copy-${n}.jsonl`));
    const entry = await copy.record(1);
    await client.reportUsage([entry]);
    expect(await copy.sync(client)).toEqual({ sent: 1, balance: 4 });
    const credits = (await app.inject({ method: 'GET', url: '/v1/credits', headers: bearer(user) })).json();
    expect(credits.balance).toBe(4);
  });

  it('syncs projects between two machines and reports conflicts as typed errors', async () => {
    const { license, make, user } = await setup();
    const laptop = make();
    await laptop.activate(license.licenseKey);
    const desk = new LicensingClient({
      serverUrl: url,
      store: new FileLicenseStore(join(dir, `desk-${n}.json`)),
      machineId: `m1-desk-${n}`,
      appVersion: '1.2.3',
      trust: DEV,
    });
    await desk.activate(license.licenseKey);
    const a = new ProjectSyncClient(laptop);
    const b = new ProjectSyncClient(desk);

    const created = await a.push('proj-1', { name: 'Trip', clips: 3 });
    expect(created.version).toBe(1);
    const pulled = await b.pull();
    expect(pulled.changes).toEqual([
      { meta: expect.objectContaining({ id: 'proj-1', version: 1 }), doc: { name: 'Trip', clips: 3 } },
    ]);

    await b.push('proj-1', { name: 'Trip (desk)', clips: 4 }, 1);
    const stale = a.push('proj-1', { name: 'Trip (laptop)', clips: 5 }, 1);
    await expect(stale).rejects.toBeInstanceOf(VersionConflictError);
    await expect(stale).rejects.toMatchObject({ details: { currentVersion: 2 } });

    const next = await a.pull(pulled.cursor);
    expect(next.changes.map((c) => [c.meta.id, c.meta.version, c.doc?.name])).toEqual([['proj-1', 2, 'Trip (desk)']]);
    await a.remove('proj-1', 2);
    const afterDelete = await b.pull(next.cursor);
    expect(afterDelete.changes).toEqual([
      { meta: expect.objectContaining({ id: 'proj-1', deleted: true, version: 3 }) },
    ]);
    // The owner's account view agrees.
    const list = (await app.inject({ method: 'GET', url: '/v1/projects', headers: bearer(user) })).json();
    expect(list.projects).toHaveLength(1);
  });

  it('surfaces server refusals even when a lease is stored, and deactivates', async () => {
    const { client, license } = await setup();
    await client.activate(license.licenseKey);
    await app.inject({ method: 'POST', url: `/v1/admin/licenses/${license.licenseKey}/revoke`, headers: adminHeaders });
    await expect(client.check()).rejects.toBeInstanceOf(LicenseRevokedError);
    await client.deactivate();
    expect(await client.isActivated()).toBe(false);
  });
});
