import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bearer, errorCode, machineRequest, registerUser, startApp, userWithMachine } from './helpers.ts';

let app: FastifyInstance;
beforeAll(async () => {
  app = await startApp();
});
afterAll(() => app.close());

describe('project sync', () => {
  it('creates, updates with If-Match, refuses stale writes, and deletes to a tombstone', async () => {
    const { user, machine } = await userWithMachine(app);
    const put = (doc: unknown, ifMatch?: string) =>
      app.inject({
        method: 'PUT',
        url: '/v1/projects/p-1',
        headers: { ...bearer(user), ...(ifMatch ? { 'if-match': ifMatch } : {}) },
        payload: { doc },
      });
    const created = await put({ name: 'Summer', clips: [1, 2] });
    expect(created.statusCode).toBe(201);
    expect(created.json()).toMatchObject({ id: 'p-1', version: 1, deleted: false });
    expect(created.headers.etag).toBe('"1"');
    const dup = await put({ name: 'Other' });
    expect([dup.statusCode, errorCode(dup)]).toEqual([409, 'VERSION_CONFLICT']);

    // The machine updates with the version it read; the owner's stale write then conflicts.
    const fromMachine = await machineRequest(app, machine, {
      method: 'PUT',
      url: '/v1/projects/p-1',
      body: { doc: { name: 'Summer v2' } },
      headers: { 'if-match': '"1"' },
    });
    expect(fromMachine.statusCode).toBe(200);
    expect(fromMachine.json().version).toBe(2);
    const stale = await put({ name: 'Summer (stale)' }, '1');
    expect(stale.statusCode).toBe(409);
    expect(stale.json().error).toMatchObject({ code: 'VERSION_CONFLICT', details: { currentVersion: 2 } });
    const read = await machineRequest(app, machine, { method: 'GET', url: '/v1/projects/p-1' });
    expect(read.json()).toMatchObject({ version: 2, doc: { name: 'Summer v2' } });

    const del = await app.inject({
      method: 'DELETE',
      url: '/v1/projects/p-1',
      headers: { ...bearer(user), 'if-match': '2' },
    });
    expect(del.json()).toMatchObject({ version: 3, deleted: true });
    const gone = await app.inject({ method: 'GET', url: '/v1/projects/p-1', headers: bearer(user) });
    expect(gone.json().error).toMatchObject({ code: 'NOT_FOUND', details: { deleted: true, version: 3 } });
    const delAgain = await app.inject({ method: 'DELETE', url: '/v1/projects/p-1', headers: bearer(user) });
    expect(delAgain.statusCode).toBe(200);
    // Re-creating over the tombstone needs its version.
    expect((await put({ name: 'Back' })).statusCode).toBe(409);
    expect((await put({ name: 'Back' }, '3')).json()).toMatchObject({ version: 4, deleted: false });
  });

  it('lists changes after a cursor, tombstones included', async () => {
    const user = await registerUser(app);
    const h = bearer(user);
    for (const id of ['a', 'b', 'c']) {
      await app.inject({ method: 'PUT', url: `/v1/projects/${id}`, headers: h, payload: { doc: { id } } });
    }
    const all = (await app.inject({ method: 'GET', url: '/v1/projects', headers: h })).json();
    expect(all.projects.map((p: { id: string }) => p.id)).toEqual(['a', 'b', 'c']);
    expect(all.hasMore).toBe(false);
    const page = (await app.inject({ method: 'GET', url: '/v1/projects?limit=2', headers: h })).json();
    expect(page.projects).toHaveLength(2);
    expect(page.hasMore).toBe(true);

    await app.inject({ method: 'DELETE', url: '/v1/projects/a', headers: h });
    await app.inject({
      method: 'PUT',
      url: '/v1/projects/c',
      headers: { ...h, 'if-match': '1' },
      payload: { doc: {} },
    });
    const since = (await app.inject({ method: 'GET', url: `/v1/projects?since=${all.cursor}`, headers: h })).json();
    expect(since.projects.map((p: { id: string; deleted: boolean }) => [p.id, p.deleted])).toEqual([
      ['a', true],
      ['c', false],
    ]);
    const none = (await app.inject({ method: 'GET', url: `/v1/projects?since=${since.cursor}`, headers: h })).json();
    expect(none).toEqual({ projects: [], cursor: since.cursor, hasMore: false });
  });

  it('signs the query string of machine requests', async () => {
    const { machine } = await userWithMachine(app);
    const res = await machineRequest(app, machine, { method: 'GET', url: '/v1/projects?since=0&limit=5' });
    expect(res.statusCode).toBe(200);
  });

  it('refuses malformed ids, If-Match values and documents over 1 MiB', async () => {
    const user = await registerUser(app);
    const h = bearer(user);
    expect(
      (await app.inject({ method: 'PUT', url: '/v1/projects/bad%20id', headers: h, payload: { doc: {} } })).statusCode,
    ).toBe(422);
    const badIfMatch = await app.inject({
      method: 'PUT',
      url: '/v1/projects/x',
      headers: { ...h, 'if-match': '*' },
      payload: { doc: {} },
    });
    expect(errorCode(badIfMatch)).toBe('VALIDATION_ERROR');
    const big = await app.inject({
      method: 'PUT',
      url: '/v1/projects/big',
      headers: h,
      payload: { doc: { blob: 'x'.repeat(1024 * 1024) } },
    });
    expect([big.statusCode, errorCode(big)]).toEqual([413, 'PAYLOAD_TOO_LARGE']);
  });
});
