import type { FastifyInstance } from 'fastify';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  bearer,
  errorCode,
  grantCredits,
  machineRequest,
  startApp,
  testDatabaseUrl,
  userWithMachine,
} from './helpers.ts';

let app: FastifyInstance;
let sql: pg.Pool;
beforeAll(async () => {
  app = await startApp({ dbPoolSize: 20 });
  sql = new pg.Pool({ connectionString: testDatabaseUrl(), max: 2 });
});
afterAll(async () => {
  await app.close();
  await sql.end();
});

async function ledgerSum(userId: string): Promise<number> {
  const { rows } = await sql.query('select coalesce(sum(amount), 0) as s from credit_ledger where user_id = $1', [
    userId,
  ]);
  return Number(rows[0].s);
}

async function storedBalance(userId: string): Promise<number> {
  const { rows } = await sql.query('select balance from credit_accounts where user_id = $1', [userId]);
  return Number(rows[0].balance);
}

describe('reservations', () => {
  it('grants exactly 10 of 100 concurrent 1-credit reservations on a balance of 10', async () => {
    const { user, machine } = await userWithMachine(app, 10);
    const results = await Promise.all(
      Array.from({ length: 100 }, (_, i) =>
        machineRequest(app, machine, {
          method: 'POST',
          url: '/v1/credits/reservations',
          body: { jobId: `job-${i}`, amount: 1 },
        }),
      ),
    );
    const granted = results.filter((r) => r.statusCode === 201);
    const refused = results.filter((r) => r.statusCode === 402);
    expect(granted).toHaveLength(10);
    expect(refused).toHaveLength(90);
    expect(refused.every((r) => errorCode(r) === 'INSUFFICIENT_CREDITS')).toBe(true);

    // Commit them all concurrently too; the ledger and the balance row must agree.
    const commits = await Promise.all(
      granted.map((r) =>
        machineRequest(app, machine, {
          method: 'POST',
          url: `/v1/credits/reservations/${r.json().id}/commit`,
          body: { used: 1 },
        }),
      ),
    );
    expect(commits.every((r) => r.statusCode === 200 && r.json().status === 'committed')).toBe(true);
    const credits = await app.inject({ method: 'GET', url: '/v1/credits', headers: bearer(user) });
    expect(credits.json()).toMatchObject({ balance: 0, held: 0, available: 0 });
    expect(await ledgerSum(user.user.id)).toBe(0);
    expect(await storedBalance(user.user.id)).toBe(0);
    const { rows } = await sql.query(
      `select count(*)::int as n, sum(amount)::int as s from credit_ledger where user_id = $1 and reason = 'render'`,
      [user.user.id],
    );
    expect(rows[0]).toEqual({ n: 10, s: -10 });
  });

  it('is idempotent on jobId, commit and release', async () => {
    const { user, machine } = await userWithMachine(app, 20);
    const reserve = () =>
      machineRequest(app, machine, {
        method: 'POST',
        url: '/v1/credits/reservations',
        body: { jobId: 'job-a', amount: 8 },
      });
    const first = await reserve();
    const second = await reserve();
    expect(first.statusCode).toBe(201);
    expect(second.json().id).toBe(first.json().id);
    const mismatch = await machineRequest(app, machine, {
      method: 'POST',
      url: '/v1/credits/reservations',
      body: { jobId: 'job-a', amount: 9 },
    });
    expect(errorCode(mismatch)).toBe('CONFLICT');

    let summary = (await app.inject({ method: 'GET', url: '/v1/credits', headers: bearer(user) })).json();
    expect(summary).toMatchObject({ balance: 20, held: 8, available: 12 });

    const id = first.json().id;
    const tooMuch = await machineRequest(app, machine, {
      method: 'POST',
      url: `/v1/credits/reservations/${id}/commit`,
      body: { used: 9 },
    });
    expect(errorCode(tooMuch)).toBe('VALIDATION_ERROR');
    const commit = () =>
      machineRequest(app, machine, { method: 'POST', url: `/v1/credits/reservations/${id}/commit`, body: { used: 5 } });
    expect((await commit()).json()).toMatchObject({ status: 'committed', used: 5 });
    expect((await commit()).json()).toMatchObject({ status: 'committed', used: 5 });
    const releaseCommitted = await machineRequest(app, machine, {
      method: 'POST',
      url: `/v1/credits/reservations/${id}/release`,
    });
    expect(errorCode(releaseCommitted)).toBe('RESERVATION_CLOSED');

    summary = (await app.inject({ method: 'GET', url: '/v1/credits', headers: bearer(user) })).json();
    expect(summary).toMatchObject({ balance: 15, held: 0, available: 15 });
    expect(summary.transactions[0]).toMatchObject({ amount: -5, reason: 'render', reference: 'job-a' });

    const b = await machineRequest(app, machine, {
      method: 'POST',
      url: '/v1/credits/reservations',
      body: { jobId: 'job-b', amount: 15 },
    });
    const release = () =>
      machineRequest(app, machine, { method: 'POST', url: `/v1/credits/reservations/${b.json().id}/release` });
    expect((await release()).json().status).toBe('released');
    expect((await release()).json().status).toBe('released');
    const commitReleased = await machineRequest(app, machine, {
      method: 'POST',
      url: `/v1/credits/reservations/${b.json().id}/commit`,
      body: { used: 1 },
    });
    expect(errorCode(commitReleased)).toBe('RESERVATION_CLOSED');
    expect(await ledgerSum(user.user.id)).toBe(15);
    expect(await storedBalance(user.user.id)).toBe(15);
  });

  it('refuses a reservation larger than the free balance', async () => {
    const { machine } = await userWithMachine(app, 3);
    const res = await machineRequest(app, machine, {
      method: 'POST',
      url: '/v1/credits/reservations',
      body: { jobId: 'big', amount: 4 },
    });
    expect(res.statusCode).toBe(402);
    expect(res.json().error).toMatchObject({ code: 'INSUFFICIENT_CREDITS', details: { needed: 4, available: 3 } });
  });

  it('needs a machine signature for reservations', async () => {
    const { user } = await userWithMachine(app, 3);
    const res = await app.inject({
      method: 'POST',
      url: '/v1/credits/reservations',
      headers: bearer(user),
      payload: { jobId: 'x', amount: 1 },
    });
    expect(res.statusCode).toBe(401);
  });
});

describe('expired holds', () => {
  it('stop counting and cannot be committed', async () => {
    // TTL 0: the hold is expired as soon as it is made, so no clock has to pass.
    const shortApp = await startApp({ reservationTtlSeconds: 0 });
    try {
      const { user, machine } = await userWithMachine(shortApp, 5);
      const res = await machineRequest(shortApp, machine, {
        method: 'POST',
        url: '/v1/credits/reservations',
        body: { jobId: 'expiring', amount: 5 },
      });
      expect(res.statusCode).toBe(201);
      const summary = (await shortApp.inject({ method: 'GET', url: '/v1/credits', headers: bearer(user) })).json();
      expect(summary).toMatchObject({ balance: 5, held: 0, available: 5 });
      const commit = await machineRequest(shortApp, machine, {
        method: 'POST',
        url: `/v1/credits/reservations/${res.json().id}/commit`,
        body: { used: 5 },
      });
      expect(commit.json().error).toMatchObject({ code: 'RESERVATION_CLOSED', details: { status: 'expired' } });
    } finally {
      await shortApp.close();
    }
  });
});

describe('offline usage', () => {
  it('debits each entry once even when resent', async () => {
    const { user, machine } = await userWithMachine(app, 10);
    const entries = [
      { id: 'u1', amount: 2, at: new Date().toISOString(), jobId: 'offline-1' },
      { id: 'u2', amount: 3, at: new Date().toISOString() },
    ];
    const first = await machineRequest(app, machine, { method: 'POST', url: '/v1/credits/usage', body: { entries } });
    expect(first.json()).toEqual({ applied: ['u1', 'u2'], duplicates: [], balance: 5 });
    const resent = await Promise.all(
      [1, 2, 3].map(() =>
        machineRequest(app, machine, {
          method: 'POST',
          url: '/v1/credits/usage',
          body: { entries: [...entries, { id: 'u3', amount: 1, at: new Date().toISOString() }] },
        }),
      ),
    );
    const applied = resent.flatMap((r) => r.json().applied);
    expect(applied).toEqual(['u3']);
    expect(await ledgerSum(user.user.id)).toBe(4);
    expect(await storedBalance(user.user.id)).toBe(4);
  });

  it('reads credits with either an access token or a machine signature', async () => {
    const { user, machine } = await userWithMachine(app, 7);
    const byMachine = await machineRequest(app, machine, { method: 'GET', url: '/v1/credits' });
    const byUser = await app.inject({ method: 'GET', url: '/v1/credits', headers: bearer(user) });
    expect(byMachine.json().balance).toBe(7);
    expect(byUser.json().balance).toBe(7);
    expect((await app.inject({ method: 'GET', url: '/v1/credits' })).statusCode).toBe(401);
  });
});

describe('admin grants', () => {
  it('are idempotent with a key and need the admin token', async () => {
    const { user } = await userWithMachine(app);
    const grant = (headers: Record<string, string>) =>
      app.inject({
        method: 'POST',
        url: '/v1/admin/credits/grants',
        headers,
        payload: { email: user.email, amount: 50, reason: 'goodwill', idempotencyKey: `k-${user.user.id}` },
      });
    expect((await grant({})).statusCode).toBe(401);
    expect((await grant({ authorization: 'Bearer nope' })).statusCode).toBe(401);
    const a = await grant({ authorization: 'Bearer test-admin-token-0123456789' });
    const b = await grant({ authorization: 'Bearer test-admin-token-0123456789' });
    expect(a.json()).toMatchObject({ balance: 50, duplicate: false });
    expect(b.json()).toMatchObject({ balance: 50, duplicate: true });
    expect((await grantCredits(app, user.email, 1)).balance).toBe(51);
  });
});
