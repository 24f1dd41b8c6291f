import { randomUUID } from 'node:crypto';
import { LeaseClaims } from '@vmp/shared/http';
import type { FastifyInstance } from 'fastify';
import { createLocalJWKSet, decodeJwt, jwtVerify } from 'jose';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sweepExpiredNonces } from '../src/licenses/nonces.ts';
import {
  activate,
  activatedMachine,
  adminHeaders,
  bearer,
  createLicense,
  errorCode,
  machineRequest,
  registerUser,
  signedRequest,
  startApp,
  testDatabaseUrl,
  userWithMachine,
} from './helpers.ts';

let app: FastifyInstance;
beforeAll(async () => {
  app = await startApp();
});
afterAll(() => app.close());

describe('activation', () => {
  it('activates a machine, and the same machine again gets the same activation', async () => {
    const user = await registerUser(app);
    const license = await createLicense(app, user.email, { maxActivations: 1 });
    const first = await activate(app, license.licenseKey, 'machine-aaaa-1');
    expect(first.statusCode).toBe(201);
    const body = first.machine();
    expect(body.activationId).toMatch(/^[0-9a-f-]{36}$/);
    expect(Buffer.from(body.machineSecret, 'base64url').length).toBe(32);
    const again = await activate(app, license.licenseKey, 'machine-aaaa-1');
    expect(again.statusCode).toBe(201);
    expect(again.machine().activationId).toBe(body.activationId);
    const other = await activate(app, license.licenseKey, 'machine-bbbb-2');
    expect(other.statusCode).toBe(403);
    expect(errorCode(other)).toBe('ACTIVATION_LIMIT');
  });

  it('tells the machine how many seats its license uses, at activation and at each heartbeat', async () => {
    const user = await registerUser(app);
    const license = await createLicense(app, user.email, { maxActivations: 3 });
    const first = await activate(app, license.licenseKey, 'seat-machine-1');
    expect(first.json().seats).toEqual({ used: 1, max: 3 });
    const second = await activate(app, license.licenseKey, 'seat-machine-2');
    expect(second.json().seats).toEqual({ used: 2, max: 3 });
    const machine = first.machine();
    const validate = await machineRequest(app, machine, { method: 'POST', url: '/v1/licenses/validate', body: {} });
    expect(validate.statusCode).toBe(200);
    expect(validate.json().license.seats).toEqual({ used: 2, max: 3 });
    const freed = await machineRequest(app, second.machine(), { method: 'POST', url: '/v1/licenses/deactivate' });
    expect(freed.statusCode).toBe(204);
    const after = await machineRequest(app, machine, { method: 'POST', url: '/v1/licenses/validate', body: {} });
    expect(after.json().license.seats).toEqual({ used: 1, max: 3 });
  });

  it('holds the activation limit under concurrent activations', async () => {
    const user = await registerUser(app);
    const license = await createLicense(app, user.email, { maxActivations: 3 });
    const results = await Promise.all(
      Array.from({ length: 20 }, (_, i) => activate(app, license.licenseKey, `concurrent-machine-${i}`)),
    );
    const codes = results.map((r) => r.statusCode);
    expect(codes.filter((c) => c === 201)).toHaveLength(3);
    expect(codes.filter((c) => c === 403)).toHaveLength(17);
    expect(results.filter((r) => r.statusCode === 403).every((r) => errorCode(r) === 'ACTIVATION_LIMIT')).toBe(true);
    const me = await app.inject({ method: 'GET', url: '/v1/me', headers: bearer(user) });
    expect(me.json().licenses[0].activations).toHaveLength(3);
  });

  it('holds the activation limit across two server instances', async () => {
    const user = await registerUser(app);
    const license = await createLicense(app, user.email, { maxActivations: 2 });
    const other = await startApp();
    try {
      const results = await Promise.all(
        Array.from({ length: 12 }, (_, i) =>
          activate(i % 2 ? other : app, license.licenseKey, `two-apps-machine-${i}`),
        ),
      );
      expect(results.filter((r) => r.statusCode === 201)).toHaveLength(2);
      expect(results.filter((r) => errorCode(r) === 'ACTIVATION_LIMIT')).toHaveLength(10);
    } finally {
      await other.close();
    }
  });

  it('refuses an unknown key and a request signed with another key', async () => {
    const { license } = await userWithMachine(app);
    const unknown = await activate(app, 'VMP-AAAAA-BBBBB-CCCCC-DDDDD');
    expect(unknown.statusCode).toBe(404);
    const wrongKey = await app.inject(
      signedRequest({
        method: 'POST',
        url: '/v1/licenses/activate',
        key: 'VMP-WRONG-WRONG-WRONG-WRONG',
        body: { licenseKey: license.licenseKey, machineId: 'machine-wrong-key', appVersion: '1', platform: 'linux' },
      }),
    );
    expect(wrongKey.statusCode).toBe(401);
    expect(errorCode(wrongKey)).toBe('BAD_SIGNATURE');
  });

  it('frees a seat on deactivation', async () => {
    const user = await registerUser(app);
    const license = await createLicense(app, user.email, { maxActivations: 1 });
    const machine = await activatedMachine(app, license.licenseKey);
    const res = await machineRequest(app, machine, { method: 'POST', url: '/v1/licenses/deactivate' });
    expect(res.statusCode).toBe(204);
    const validate = await machineRequest(app, machine, { method: 'POST', url: '/v1/licenses/validate' });
    expect(errorCode(validate)).toBe('UNAUTHENTICATED');
    expect((await activate(app, license.licenseKey)).statusCode).toBe(201);
  });

  it('lets the owner free a seat from the account', async () => {
    const { user, license, machine } = await userWithMachine(app);
    const url = `/v1/licenses/${license.licenseId}/activations/${machine.activationId}`;
    expect((await app.inject({ method: 'DELETE', url })).statusCode).toBe(401);
    expect((await app.inject({ method: 'DELETE', url, headers: bearer(user) })).statusCode).toBe(204);
    expect((await app.inject({ method: 'DELETE', url, headers: bearer(user) })).statusCode).toBe(404);
  });
});

describe('signed requests', () => {
  it('accepts a correctly signed heartbeat', async () => {
    const { machine } = await userWithMachine(app);
    const res = await machineRequest(app, machine, { method: 'POST', url: '/v1/licenses/validate', body: {} });
    expect(res.statusCode).toBe(200);
    expect(res.json().license).toMatchObject({ type: 'PRO', status: 'active' });
  });

  it('refuses a replayed request', async () => {
    const { machine } = await userWithMachine(app);
    const request = signedRequest({
      method: 'POST',
      url: '/v1/licenses/validate',
      key: machine.machineSecret,
      activationId: machine.activationId,
    });
    expect((await app.inject(request)).statusCode).toBe(200);
    const replay = await app.inject(request);
    expect(replay.statusCode).toBe(409);
    expect(errorCode(replay)).toBe('REPLAYED_REQUEST');
  });

  it('refuses a replay sent to another server process sharing the database', async () => {
    const { machine } = await userWithMachine(app);
    const other = await startApp();
    try {
      const request = signedRequest({
        method: 'POST',
        url: '/v1/licenses/validate',
        key: machine.machineSecret,
        activationId: machine.activationId,
      });
      expect((await app.inject(request)).statusCode).toBe(200);
      expect(errorCode(await other.inject(request))).toBe('REPLAYED_REQUEST');
    } finally {
      await other.close();
    }
  });

  it('refuses a stale or future timestamp', async () => {
    const { machine } = await userWithMachine(app);
    const now = Math.floor(Date.now() / 1000);
    for (const timestamp of [now - 301, now + 301]) {
      const res = await machineRequest(app, machine, { method: 'POST', url: '/v1/licenses/validate', timestamp });
      expect(res.statusCode).toBe(401);
      expect(errorCode(res)).toBe('STALE_REQUEST');
    }
    const ok = await machineRequest(app, machine, {
      method: 'POST',
      url: '/v1/licenses/validate',
      timestamp: now - 290,
    });
    expect(ok.statusCode).toBe(200);
  });

  it('refuses a tampered body, path or method and a wrong key', async () => {
    const { machine } = await userWithMachine(app, 5);
    const signed = signedRequest({
      method: 'POST',
      url: '/v1/credits/reservations',
      key: machine.machineSecret,
      activationId: machine.activationId,
      body: { jobId: 'job-tamper', amount: 1 },
    });
    const tamperedBody = await app.inject({ ...signed, payload: JSON.stringify({ jobId: 'job-tamper', amount: 2 }) });
    expect(errorCode(tamperedBody)).toBe('BAD_SIGNATURE');
    // Same JSON value, different bytes: still refused, the signature covers the raw body.
    const reformatted = await app.inject({ ...signed, payload: JSON.stringify({ amount: 1, jobId: 'job-tamper' }) });
    expect(errorCode(reformatted)).toBe('BAD_SIGNATURE');
    const tamperedPath = await app.inject({ ...signed, url: '/v1/credits/reservations?x=1' });
    expect(errorCode(tamperedPath)).toBe('BAD_SIGNATURE');
    const tamperedMethod = await app.inject({ ...signed, method: 'PUT', url: '/v1/projects/p1' });
    expect(errorCode(tamperedMethod)).toBe('BAD_SIGNATURE');
    const wrongKey = await app.inject(
      signedRequest({
        method: 'POST',
        url: '/v1/credits/reservations',
        key: `${machine.machineSecret}x`,
        activationId: machine.activationId,
        body: { jobId: 'job-tamper', amount: 1 },
      }),
    );
    expect(wrongKey.statusCode).toBe(401);
    expect(errorCode(wrongKey)).toBe('BAD_SIGNATURE');
    // The untouched request still goes through: the refusals above burned no nonce.
    expect((await app.inject(signed)).statusCode).toBe(201);
  });

  it('refuses tampering and replays from a machine already known to this process', async () => {
    const { machine } = await userWithMachine(app, 5);
    // Warm up: the server now verifies this machine's signatures before its database round trip.
    expect((await machineRequest(app, machine, { method: 'GET', url: '/v1/credits' })).statusCode).toBe(200);
    const signed = signedRequest({
      method: 'POST',
      url: '/v1/credits/reservations',
      key: machine.machineSecret,
      activationId: machine.activationId,
      body: { jobId: 'warm-job', amount: 1 },
    });
    const tampered = await app.inject({ ...signed, payload: JSON.stringify({ jobId: 'warm-job', amount: 5 }) });
    expect(errorCode(tampered)).toBe('BAD_SIGNATURE');
    const wrongKey = await app.inject(
      signedRequest({ method: 'GET', url: '/v1/credits', key: 'not-the-secret', activationId: machine.activationId }),
    );
    expect(errorCode(wrongKey)).toBe('BAD_SIGNATURE');
    expect((await app.inject(signed)).statusCode).toBe(201);
    expect(errorCode(await app.inject(signed))).toBe('REPLAYED_REQUEST');
    const now = Math.floor(Date.now() / 1000);
    const stale = await machineRequest(app, machine, { method: 'GET', url: '/v1/credits', timestamp: now - 400 });
    expect(errorCode(stale)).toBe('STALE_REQUEST');
  });

  it('refuses missing headers and an unknown activation', async () => {
    const { machine } = await userWithMachine(app);
    const bare = await app.inject({
      method: 'POST',
      url: '/v1/licenses/validate',
      headers: { 'x-vmp-activation': machine.activationId },
    });
    expect(errorCode(bare)).toBe('UNAUTHENTICATED');
    const unknown = await app.inject(
      signedRequest({
        method: 'POST',
        url: '/v1/licenses/validate',
        key: machine.machineSecret,
        activationId: '00000000-0000-4000-8000-000000000000',
      }),
    );
    expect(errorCode(unknown)).toBe('UNAUTHENTICATED');
    const shortNonce = await machineRequest(app, machine, {
      method: 'POST',
      url: '/v1/licenses/validate',
      nonce: 'abc',
    });
    expect(errorCode(shortNonce)).toBe('BAD_SIGNATURE');
  });
});

describe('heartbeat', () => {
  it('records a new app version, and marks the machine seen at most once a minute', async () => {
    const { user, machine } = await userWithMachine(app);
    const sql = new pg.Client({ connectionString: testDatabaseUrl() });
    await sql.connect();
    try {
      const lastSeen = async () =>
        (await sql.query('select last_seen_at from activations where id = $1', [machine.activationId])).rows[0]
          .last_seen_at as Date;
      const setLastSeen = (secondsAgo: number) =>
        sql.query(`update activations set last_seen_at = now() - make_interval(secs => $2) where id = $1`, [
          machine.activationId,
          secondsAgo,
        ]);

      await setLastSeen(120);
      const request = { method: 'GET', url: '/v1/credits' } as const;
      expect((await machineRequest(app, machine, request)).statusCode).toBe(200);
      expect(Date.now() - (await lastSeen()).getTime()).toBeLessThan(30_000);

      await setLastSeen(30);
      const before = await lastSeen();
      expect((await machineRequest(app, machine, request)).statusCode).toBe(200);
      expect(await lastSeen()).toEqual(before);

      const heartbeat = await machineRequest(app, machine, {
        method: 'POST',
        url: '/v1/licenses/validate',
        body: { appVersion: '2.0.0' },
      });
      expect(heartbeat.statusCode).toBe(200);
      const me = await app.inject({ method: 'GET', url: '/v1/me', headers: bearer(user) });
      expect(me.json().licenses[0].activations[0].appVersion).toBe('2.0.0');
    } finally {
      await sql.end();
    }
  });
});

describe('nonce sweep', () => {
  it('deletes expired nonces in batches and keeps live ones', async () => {
    const sql = new pg.Client({ connectionString: testDatabaseUrl() });
    await sql.connect();
    try {
      const tag = randomUUID();
      const expired = Array.from({ length: 7 }, (_, i) => `sweep-${tag}-expired-${i}`);
      const live = `sweep-${tag}-live`;
      await sql.query(
        `insert into request_nonces (nonce, expires_at)
         select unnest($1::text[]), now() - interval '1 second' union all select $2, now() + interval '1 minute'`,
        [expired, live],
      );
      expect(await sweepExpiredNonces(app.ctx.database.nonceDb, new Date(), 3)).toBeGreaterThanOrEqual(7);
      const { rows } = await sql.query('select nonce from request_nonces where nonce like $1', [`sweep-${tag}-%`]);
      expect(rows.map((r) => r.nonce)).toEqual([live]);
    } finally {
      await sql.end();
    }
  });
});

describe('license status', () => {
  it('reports suspended, revoked and expired licenses with their codes', async () => {
    const { user, license, machine } = await userWithMachine(app);
    const admin = (action: string) =>
      app.inject({ method: 'POST', url: `/v1/admin/licenses/${license.licenseKey}/${action}`, headers: adminHeaders });
    expect((await admin('suspend')).json().status).toBe('suspended');
    let res = await machineRequest(app, machine, { method: 'POST', url: '/v1/licenses/validate' });
    expect([res.statusCode, errorCode(res)]).toEqual([403, 'LICENSE_SUSPENDED']);
    expect(errorCode(await activate(app, license.licenseKey))).toBe('LICENSE_SUSPENDED');
    await admin('reinstate');
    res = await machineRequest(app, machine, { method: 'POST', url: '/v1/licenses/validate' });
    expect(res.statusCode).toBe(200);
    await admin('revoke');
    res = await machineRequest(app, machine, { method: 'POST', url: '/v1/licenses/validate' });
    expect([res.statusCode, errorCode(res)]).toEqual([403, 'LICENSE_REVOKED']);
    // Deactivation still works, so a revoked machine can clean up.
    res = await machineRequest(app, machine, { method: 'POST', url: '/v1/licenses/deactivate' });
    expect(res.statusCode).toBe(204);

    const expired = await createLicense(app, user.email, { expiresAt: new Date(Date.now() - 1000).toISOString() });
    const act = await activate(app, expired.licenseKey);
    expect([act.statusCode, errorCode(act)]).toEqual([403, 'LICENSE_EXPIRED']);
  });
});

describe('lease', () => {
  it('verifies with the published JWKS and fails when altered', async () => {
    const { license, machine } = await userWithMachine(app);
    const jwks = await app.inject({ method: 'GET', url: '/.well-known/jwks.json' });
    expect(jwks.statusCode).toBe(200);
    const keySet = createLocalJWKSet(jwks.json());
    const { payload, protectedHeader } = await jwtVerify(machine.lease, keySet, { issuer: 'vmp-server' });
    expect(protectedHeader.alg).toBe('EdDSA');
    const claims = LeaseClaims.parse(payload);
    expect(claims).toMatchObject({
      sub: machine.activationId,
      lic: license.licenseId,
      mid: machine.machineId,
      typ: 'PRO',
    });
    expect(claims.feat).toContain('render');
    expect(claims.exp - claims.iat).toBe(14 * 24 * 3600);

    const [header, body, signature] = machine.lease.split('.');
    const altered = Buffer.from(JSON.stringify({ ...decodeJwt(machine.lease), typ: 'ENTERPRISE' })).toString(
      'base64url',
    );
    await expect(jwtVerify(`${header}.${altered}.${signature}`, keySet)).rejects.toThrow(/signature/);
    const flipped = signature!.startsWith('A') ? `B${signature!.slice(1)}` : `A${signature!.slice(1)}`;
    await expect(jwtVerify(`${header}.${body}.${flipped}`, keySet)).rejects.toThrow();

    const heartbeat = await machineRequest(app, machine, { method: 'POST', url: '/v1/licenses/validate' });
    await expect(jwtVerify(heartbeat.json().lease, keySet)).resolves.toBeTruthy();
  });

  it('keeps the same signing key across restarts (stored in the database)', async () => {
    const before = (await app.inject({ method: 'GET', url: '/.well-known/jwks.json' })).json();
    const second = await startApp();
    const after = (await second.inject({ method: 'GET', url: '/.well-known/jwks.json' })).json();
    await second.close();
    expect(after).toEqual(before);
  });
});
