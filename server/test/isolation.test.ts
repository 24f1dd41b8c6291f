import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bearer, machineRequest, signedRequest, startApp, userWithMachine } from './helpers.ts';

let app: FastifyInstance;
beforeAll(async () => {
  app = await startApp();
});
afterAll(() => app.close());

describe('user isolation', () => {
  it('user A can read, change or delete nothing of user B', async () => {
    const a = await userWithMachine(app, 5);
    const b = await userWithMachine(app, 9);
    const asA = bearer(a.user);

    // B's data.
    await app.inject({
      method: 'PUT',
      url: '/v1/projects/shared-id',
      headers: bearer(b.user),
      payload: { doc: { owner: 'B' } },
    });
    const bHold = await machineRequest(app, b.machine, {
      method: 'POST',
      url: '/v1/credits/reservations',
      body: { jobId: 'b-job', amount: 2 },
    });
    expect(bHold.statusCode).toBe(201);

    // Licenses and activations: A's /me shows only A's; A cannot free B's seat.
    const me = (await app.inject({ method: 'GET', url: '/v1/me', headers: asA })).json();
    expect(me.licenses.map((l: { id: string }) => l.id)).toEqual([a.license.licenseId]);
    expect(me.credits.balance).toBe(5);
    const freeB = await app.inject({
      method: 'DELETE',
      url: `/v1/licenses/${b.license.licenseId}/activations/${b.machine.activationId}`,
      headers: asA,
    });
    expect(freeB.statusCode).toBe(404);
    const mixed = await app.inject({
      method: 'DELETE',
      url: `/v1/licenses/${a.license.licenseId}/activations/${b.machine.activationId}`,
      headers: asA,
    });
    expect(mixed.statusCode).toBe(404);

    // Projects: same id, separate documents; A cannot read, overwrite or delete B's.
    expect((await app.inject({ method: 'GET', url: '/v1/projects/shared-id', headers: asA })).statusCode).toBe(404);
    expect((await app.inject({ method: 'GET', url: '/v1/projects', headers: asA })).json().projects).toEqual([]);
    const overwrite = await app.inject({
      method: 'PUT',
      url: '/v1/projects/shared-id',
      headers: { ...asA, 'if-match': '1' },
      payload: { doc: { owner: 'A' } },
    });
    expect(overwrite.statusCode).toBe(409);
    expect((await app.inject({ method: 'DELETE', url: '/v1/projects/shared-id', headers: asA })).statusCode).toBe(404);
    // A's machine cannot either.
    expect((await machineRequest(app, a.machine, { method: 'GET', url: '/v1/projects/shared-id' })).statusCode).toBe(
      404,
    );

    // Credits: A's machine cannot commit or release B's reservation, nor see B's balance.
    const id = bHold.json().id;
    const commit = await machineRequest(app, a.machine, {
      method: 'POST',
      url: `/v1/credits/reservations/${id}/commit`,
      body: { used: 2 },
    });
    expect(commit.statusCode).toBe(404);
    const release = await machineRequest(app, a.machine, {
      method: 'POST',
      url: `/v1/credits/reservations/${id}/release`,
    });
    expect(release.statusCode).toBe(404);
    expect((await machineRequest(app, a.machine, { method: 'GET', url: '/v1/credits' })).json().balance).toBe(5);

    // A machine cannot impersonate another by naming B's activation with its own secret.
    const spoof = await app.inject(
      signedRequest({
        method: 'GET',
        url: '/v1/credits',
        key: a.machine.machineSecret,
        activationId: b.machine.activationId,
      }),
    );
    expect(spoof.statusCode).toBe(401);

    // B is untouched.
    const bState = (await app.inject({ method: 'GET', url: '/v1/me', headers: bearer(b.user) })).json();
    expect(bState.credits).toEqual({ balance: 9, held: 2, offlineHeld: 0, available: 7 });
    expect(bState.licenses[0].activations).toHaveLength(1);
    const bDoc = await app.inject({ method: 'GET', url: '/v1/projects/shared-id', headers: bearer(b.user) });
    expect(bDoc.json()).toMatchObject({ version: 1, doc: { owner: 'B' } });
  });
});
