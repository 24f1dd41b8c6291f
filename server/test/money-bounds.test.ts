import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { adminHeaders, bearer, errorCode, machineRequest, startApp, userWithMachine } from './helpers.ts';

let app: FastifyInstance;
beforeAll(async () => {
  app = await startApp();
});
afterAll(() => app.close());

function grant(email: string, amount: number, reason = 'big') {
  return app.inject({
    method: 'POST',
    url: '/v1/admin/credits/grants',
    headers: adminHeaders,
    payload: { email, amount, reason },
  });
}

const entries = (prefix: string, n: number, amount: number) =>
  Array.from({ length: n }, (_, i) => ({ id: `${prefix}-${i}`, amount, at: new Date().toISOString() }));

describe('64-bit balances', () => {
  it('keeps balances, ledger sums and holds past 2^31 in both directions', async () => {
    const { user, machine } = await userWithMachine(app);
    for (let i = 0; i < 3; i++) expect((await grant(user.email, 1_000_000_000)).statusCode).toBe(201);
    for (let i = 0; i < 3; i++) {
      const res = await machineRequest(app, machine, {
        method: 'POST',
        url: '/v1/credits/usage',
        body: { entries: entries(`u${i}`, 10, 1_000_000) },
      });
      expect(res.statusCode).toBe(200);
    }
    const hold = await machineRequest(app, machine, {
      method: 'POST',
      url: '/v1/credits/reservations',
      body: { jobId: 'big-job', amount: 1_000_000 },
    });
    expect(hold.statusCode).toBe(201);
    const credits = (await app.inject({ method: 'GET', url: '/v1/credits', headers: bearer(user) })).json();
    expect(credits).toMatchObject({ balance: 2_970_000_000, held: 1_000_000, available: 2_969_000_000 });
    expect((await app.inject({ method: 'GET', url: '/v1/me', headers: bearer(user) })).json().credits.balance).toBe(
      2_970_000_000,
    );

    for (let i = 0; i < 6; i++) await grant(user.email, -1_000_000_000);
    const after = (await app.inject({ method: 'GET', url: '/v1/credits', headers: bearer(user) })).json();
    expect(after.balance).toBe(-3_030_000_000);
    // Offline usage still applies below zero.
    const usage = await machineRequest(app, machine, {
      method: 'POST',
      url: '/v1/credits/usage',
      body: { entries: entries('neg', 1, 5) },
    });
    expect([usage.statusCode, usage.json().balance]).toEqual([200, -3_030_000_005]);
  });
});

describe('bounded amounts', () => {
  it('answers 422 naming the field past each bound', async () => {
    const { user, machine } = await userWithMachine(app, 10);
    const cases = [
      ['/v1/credits/usage', { entries: entries('x', 1, 1_000_001) }, /entries\.0\.amount/],
      ['/v1/credits/usage', { entries: entries('y', 11, 1_000_000) }, /entries: .*at most 10000000/],
      ['/v1/credits/reservations', { jobId: 'j', amount: 1_000_001 }, /body\.amount/],
      ['/v1/credits/reservations', { jobId: 'j', amount: 2 ** 63 }, /body\.amount/],
    ] as const;
    for (const [url, body, message] of cases) {
      const res = await machineRequest(app, machine, { method: 'POST', url, body });
      expect([res.statusCode, errorCode(res)]).toEqual([422, 'VALIDATION_ERROR']);
      expect(res.json().error.message).toMatch(message);
    }
    const hold = await machineRequest(app, machine, {
      method: 'POST',
      url: '/v1/credits/reservations',
      body: { jobId: 'bounded', amount: 5 },
    });
    const commit = await machineRequest(app, machine, {
      method: 'POST',
      url: `/v1/credits/reservations/${hold.json().id}/commit`,
      body: { used: 1_000_001 },
    });
    expect([commit.statusCode, commit.json().error.message]).toEqual([422, expect.stringMatching(/body\.used/)]);
    const big = await grant(user.email, 1_000_000_001);
    expect([big.statusCode, big.json().error.message]).toEqual([422, expect.stringMatching(/body\.amount/)]);
  });
});
