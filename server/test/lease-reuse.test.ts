// Heartbeats hand back the machine's current lease while nothing it asserts has changed (signing one costs more
// than the rest of the request). These tests pin that a reused lease never outlives a change: each change is made
// the way an operator or another server instance makes it (admin API, another seat, the database), and the lease
// clock is moved forward so a fresh lease differs from the cached one by its iat.
import type { LeaseClaims } from '@vmp/shared/http';
import type { FastifyInstance } from 'fastify';
import { createLocalJWKSet, decodeJwt, jwtVerify } from 'jose';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../src/app.ts';
import {
  activatedMachine,
  adminHeaders,
  createLicense,
  errorCode,
  type Machine,
  machineRequest,
  registerUser,
  testConfig,
  testDatabaseUrl,
} from './helpers.ts';

const HOUR = 3600_000;
/** The lease clock of the apps below (real time everywhere else: timestamps, license expiry). */
let clock = Date.now();
const apps: FastifyInstance[] = [];
let app: FastifyInstance;
let sql: pg.Client;

async function startClockedApp(): Promise<FastifyInstance> {
  const started = await buildApp({ config: testConfig(), logger: false, now: () => clock });
  await started.ready();
  apps.push(started);
  return started;
}

beforeAll(async () => {
  app = await startClockedApp();
  sql = new pg.Client({ connectionString: testDatabaseUrl() });
  await sql.connect();
});
afterAll(async () => {
  await sql.end();
  await Promise.all(apps.map((a) => a.close()));
});

async function heartbeat(on: FastifyInstance, machine: Machine) {
  const res = await machineRequest(on, machine, { method: 'POST', url: '/v1/licenses/validate', body: {} });
  return res;
}

async function lease(on: FastifyInstance, machine: Machine): Promise<string> {
  const res = await heartbeat(on, machine);
  if (res.statusCode !== 200) throw new Error(`validate: ${res.statusCode} ${res.body}`);
  return res.json().lease as string;
}

const claims = (jwt: string) => decodeJwt(jwt) as unknown as LeaseClaims;

async function setup(maxActivations = 3) {
  const user = await registerUser(app);
  const license = await createLicense(app, user.email, { maxActivations });
  const machine = await activatedMachine(app, license.licenseKey);
  clock += HOUR;
  const first = await lease(app, machine);
  clock += HOUR;
  const admin = (action: string) =>
    app.inject({ method: 'POST', url: `/v1/admin/licenses/${license.licenseKey}/${action}`, headers: adminHeaders });
  return { user, license, machine, first, admin };
}

describe('lease reuse on heartbeats', () => {
  it('hands back the current lease while nothing it asserts changed, and it verifies', async () => {
    const { machine, first } = await setup();
    const again = await lease(app, machine);
    expect(again).toBe(first);
    const keySet = createLocalJWKSet((await app.inject({ method: 'GET', url: '/.well-known/jwks.json' })).json());
    await expect(jwtVerify(again, keySet, { currentDate: new Date(clock) })).resolves.toBeTruthy();
  });

  it('signs a fresh lease once the current one has used up the reuse window', async () => {
    const { machine, first } = await setup();
    clock += app.ctx.config.leaseReuseSeconds * 1000;
    const next = await lease(app, machine);
    expect(next).not.toBe(first);
    expect(claims(next).iat).toBe(Math.floor(clock / 1000));
  });

  it('never hands a lease to another machine of the same license', async () => {
    const { license, machine, first } = await setup();
    const other = await activatedMachine(app, license.licenseKey);
    const theirs = await lease(app, other);
    expect(claims(theirs)).toMatchObject({ sub: other.activationId, mid: other.machineId });
    // The first machine's seat count changed (a second seat is taken): its next heartbeat is freshly signed too.
    const mine = await lease(app, machine);
    expect(mine).not.toBe(first);
    expect(claims(mine)).toMatchObject({ sub: machine.activationId, mid: machine.machineId });
  });

  it('signs afresh after a seat is freed or the seat limit changes', async () => {
    const { license, machine } = await setup();
    const other = await activatedMachine(app, license.licenseKey);
    const before = await lease(app, machine);
    clock += HOUR;
    expect((await machineRequest(app, other, { method: 'POST', url: '/v1/licenses/deactivate' })).statusCode).toBe(204);
    const afterFree = await heartbeat(app, machine);
    expect(afterFree.json().license.seats).toEqual({ used: 1, max: 3 });
    expect(afterFree.json().lease).not.toBe(before);
    clock += HOUR;
    await sql.query('update licenses set max_activations = 5 where id = $1', [license.licenseId]);
    const afterLimit = await heartbeat(app, machine);
    expect(afterLimit.json().license.seats).toEqual({ used: 1, max: 5 });
    expect(afterLimit.json().lease).not.toBe(afterFree.json().lease);
  });

  it('refuses while suspended or revoked, and signs afresh once reinstated', async () => {
    const { machine, first, admin } = await setup();
    expect((await admin('suspend')).statusCode).toBe(200);
    expect(errorCode(await heartbeat(app, machine))).toBe('LICENSE_SUSPENDED');
    expect((await admin('reinstate')).statusCode).toBe(200);
    const reinstated = await lease(app, machine);
    expect(reinstated).not.toBe(first);
    expect(claims(reinstated).iat).toBe(Math.floor(clock / 1000));

    clock += HOUR;
    expect((await admin('revoke')).statusCode).toBe(200);
    expect(errorCode(await heartbeat(app, machine))).toBe('LICENSE_REVOKED');
    expect((await admin('reinstate')).statusCode).toBe(200);
    const again = await lease(app, machine);
    expect(again).not.toBe(reinstated);
    expect(claims(again).iat).toBe(Math.floor(clock / 1000));
  });

  it("signs afresh when the license's expiry or type changes, and refuses once it expired", async () => {
    const { license, machine, first } = await setup();
    const expiresAt = new Date(Date.now() + 30 * 24 * HOUR);
    await sql.query('update licenses set expires_at = $2 where id = $1', [license.licenseId, expiresAt]);
    const extended = await lease(app, machine);
    expect(extended).not.toBe(first);
    expect(claims(extended).exp).toBe(
      Math.min(Math.floor(clock / 1000) + app.ctx.config.leaseTtlSeconds, Math.floor(expiresAt.getTime() / 1000)),
    );

    clock += HOUR;
    await sql.query(`update licenses set type = 'ENTERPRISE' where id = $1`, [license.licenseId]);
    const upgraded = await lease(app, machine);
    expect(claims(upgraded)).toMatchObject({ typ: 'ENTERPRISE', feat: expect.arrayContaining(['priority-support']) });

    await sql.query(`update licenses set expires_at = now() - interval '1 second' where id = $1`, [license.licenseId]);
    expect(errorCode(await heartbeat(app, machine))).toBe('LICENSE_EXPIRED');
  });

  it('refuses a deactivated machine and gives its new activation its own lease', async () => {
    const { license, machine, first } = await setup();
    expect((await machineRequest(app, machine, { method: 'POST', url: '/v1/licenses/deactivate' })).statusCode).toBe(
      204,
    );
    expect((await heartbeat(app, machine)).statusCode).toBe(401);
    const back = await activatedMachine(app, license.licenseKey);
    const theirs = await lease(app, back);
    expect(theirs).not.toBe(first);
    expect(claims(theirs).sub).toBe(back.activationId);
  });

  it('sees changes made through another server instance', async () => {
    const { license, machine, first } = await setup();
    const other = await startClockedApp();
    // The other instance has no lease cached and signs its own; both are valid, neither outlives a change.
    const theirs = await lease(other, machine);
    expect(claims(theirs).iat).toBe(Math.floor(clock / 1000));
    expect(await lease(app, machine)).toBe(first);
    const suspend = await other.inject({
      method: 'POST',
      url: `/v1/admin/licenses/${license.licenseKey}/suspend`,
      headers: adminHeaders,
    });
    expect(suspend.statusCode).toBe(200);
    expect(errorCode(await heartbeat(app, machine))).toBe('LICENSE_SUSPENDED');
    await other.inject({
      method: 'POST',
      url: `/v1/admin/licenses/${license.licenseKey}/reinstate`,
      headers: adminHeaders,
    });
    expect(await lease(app, machine)).not.toBe(first);
    clock += HOUR;
    const current = await lease(app, machine);
    await sql.query('update licenses set max_activations = 7 where id = $1', [license.licenseId]);
    expect(await lease(app, machine)).not.toBe(current);
  });
});
