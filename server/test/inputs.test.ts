import { connect } from 'node:net';
import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../src/app.ts';
import { openDatabase } from '../src/db/index.ts';
import {
  activate,
  bearer,
  machineRequest,
  registerUser,
  startApp,
  startAppWithLog,
  testConfig,
  testDatabaseUrl,
  userWithMachine,
} from './helpers.ts';

let app: FastifyInstance;
beforeAll(async () => {
  app = await startApp();
});
afterAll(() => app.close());

/** The documented error shape, with nothing else beside it. */
function expectErrorShape(res: LightMyRequestResponse, status: number, code?: string) {
  expect(res.statusCode).toBe(status);
  const body = res.json();
  expect(Object.keys(body)).toEqual(['error']);
  expect(body.error).toMatchObject({ code: expect.any(String), message: expect.any(String) });
  if (code) expect(body.error.code).toBe(code);
  return body.error as { code: string; message: string };
}

const NUL = '\u0000';

describe('NUL characters', () => {
  it('answer 422 naming the field instead of reaching PostgreSQL', async () => {
    const { user, machine, license } = await userWithMachine(app, 10);
    const at = new Date().toISOString();
    const cases: [string, string, unknown, RegExp][] = [
      ['POST', '/v1/credits/reservations', { jobId: `job${NUL}`, amount: 1 }, /body\.jobId/],
      ['POST', '/v1/credits/usage', { entries: [{ id: `u${NUL}`, amount: 1, at }] }, /body\.entries\.0\.id/],
      ['POST', '/v1/credits/usage', { entries: [{ id: 'u', amount: 1, at, jobId: NUL }] }, /entries\.0\.jobId/],
      ['POST', '/v1/licenses/validate', { appVersion: `1${NUL}` }, /body\.appVersion/],
      ['PUT', '/v1/projects/p-nul', { doc: { clips: [{ name: `a${NUL}b` }] } }, /body\.doc\.clips\.0\.name/],
      ['PUT', '/v1/projects/p-nul', { doc: { [`k${NUL}`]: 1 } }, /body\.doc\.k/],
    ];
    for (const [method, url, body, field] of cases) {
      const res = await machineRequest(app, machine, { method: method as 'POST', url, body });
      const error = expectErrorShape(res, 422, 'VALIDATION_ERROR');
      expect(error.message).toMatch(field);
      expect(error.message).toMatch(/NUL/);
    }
    const activation = await activate(app, license.licenseKey, `machine-${NUL}-x`);
    expect(expectErrorShape(activation, 422).message).toMatch(/body\.machineId/);
    const grant = await app.inject({
      method: 'POST',
      url: '/v1/admin/credits/grants',
      headers: { authorization: 'Bearer test-admin-token-0123456789' },
      payload: { email: user.email, amount: 1, reason: `r${NUL}` },
    });
    expect(expectErrorShape(grant, 422).message).toMatch(/body\.reason/);
    const suspend = await app.inject({
      method: 'POST',
      url: '/v1/admin/licenses/VMP-%00/suspend',
      headers: { authorization: 'Bearer test-admin-token-0123456789' },
    });
    expect(expectErrorShape(suspend, 422).message).toMatch(/params\.key/);
  });
});

describe('project document depth', () => {
  it('refuses a document nested 20,000 deep with 422, and the server keeps serving', async () => {
    const user = await registerUser(app);
    const deep = `{"doc":{"a":${'['.repeat(20_000)}${']'.repeat(20_000)}}}`;
    const res = await app.inject({
      method: 'PUT',
      url: '/v1/projects/deep',
      headers: { ...bearer(user), 'content-type': 'application/json' },
      payload: deep,
    });
    expect(expectErrorShape(res, 422, 'VALIDATION_ERROR').message).toMatch(/body\.doc\.a(\.0)+: nested deeper than 64/);
    const ok = await app.inject({
      method: 'PUT',
      url: '/v1/projects/deep',
      headers: bearer(user),
      payload: { doc: { a: [[[1]]] } },
    });
    expect(ok.statusCode).toBe(201);
  });
});

describe('framework errors use the error shape', () => {
  it('for 404, a bad URL, an over-long parameter, bad JSON and a large body', async () => {
    expectErrorShape(await app.inject({ method: 'GET', url: '/nowhere' }), 404, 'NOT_FOUND');
    expectErrorShape(await app.inject({ method: 'GET', url: '/%' }), 400, 'BAD_URL');
    expectErrorShape(await app.inject({ method: 'GET', url: '/v1/projects/%zz' }), 400, 'BAD_URL');
    const user = await registerUser(app);
    const long = await app.inject({ method: 'GET', url: `/v1/projects/${'a'.repeat(300)}`, headers: bearer(user) });
    expectErrorShape(long, 414, 'URI_TOO_LONG');
    const badJson = await app.inject({
      method: 'POST',
      url: '/v1/auth/login',
      headers: { 'content-type': 'application/json' },
      payload: '{',
    });
    expectErrorShape(badJson, 422, 'VALIDATION_ERROR');
    const big = await app.inject({
      method: 'PUT',
      url: '/v1/projects/big',
      headers: { ...bearer(user), 'content-type': 'application/json' },
      payload: JSON.stringify({ doc: { a: 'x'.repeat(2 * 1024 * 1024) } }),
    });
    expectErrorShape(big, 413, 'PAYLOAD_TOO_LARGE');
  });

  it('for HTTP too broken to parse, on a real socket', async () => {
    const url = new URL(await startListening());
    const answer = await new Promise<string>((resolve, reject) => {
      const socket = connect(Number(url.port), url.hostname, () =>
        socket.write('GET / HTTP/1.1\r\nHost: x\r\nBad Header\r\n\r\n'),
      );
      let data = '';
      socket.on('data', (chunk) => {
        data += chunk;
      });
      socket.on('close', () => resolve(data));
      socket.on('error', reject);
    });
    expect(answer).toMatch(/^HTTP\/1\.1 400 Bad Request/);
    expect(JSON.parse(answer.slice(answer.indexOf('\r\n\r\n') + 4))).toMatchObject({ error: { code: 'BAD_REQUEST' } });
  });
});

let listening: string | undefined;
async function startListening() {
  listening ??= await app.listen({ host: '127.0.0.1', port: 0 });
  return listening;
}

describe('admin routes', () => {
  it('are rate-limited per IP and log refused tokens', async () => {
    const { app: limited, lines } = await startAppWithLog({
      rateLimit: { authPerIp: 100, loginPerEmail: 100, activatePerIp: 100, adminPerIp: 5, windowMs: 60_000 },
    });
    try {
      const guesses = [];
      for (let i = 0; i < 7; i++) {
        const res = await limited.inject({
          method: 'POST',
          url: '/v1/admin/licenses',
          headers: { authorization: `Bearer guess-${i}` },
          payload: {},
        });
        guesses.push(res.statusCode);
      }
      expect(guesses).toEqual([401, 401, 401, 401, 401, 429, 429]);
      const refused = lines.filter((l) => l.msg === 'admin: token refused');
      expect(refused).toHaveLength(5);
      expect(refused[0]).toMatchObject({ level: 40, ip: '127.0.0.1', url: '/v1/admin/licenses' });
      // The right token from the same IP waits too: the limit counts requests, not failures.
      const right = await limited.inject({
        method: 'POST',
        url: '/v1/admin/licenses',
        headers: { authorization: 'Bearer test-admin-token-0123456789' },
        payload: {},
      });
      expectErrorShape(right, 429, 'RATE_LIMITED');
      // Other limits on the same IP are counted apart.
      expect((await limited.inject({ method: 'POST', url: '/v1/auth/register', payload: {} })).statusCode).toBe(422);
    } finally {
      await limited.close();
    }
  });
});

describe('operations endpoints', () => {
  it('/metrics needs the bearer token when METRICS_TOKEN is set', async () => {
    const guarded = await startApp({ metricsToken: 'metrics-secret-123' });
    try {
      expectErrorShape(await guarded.inject({ method: 'GET', url: '/metrics' }), 401, 'UNAUTHENTICATED');
      const wrong = await guarded.inject({ method: 'GET', url: '/metrics', headers: { authorization: 'Bearer no' } });
      expectErrorShape(wrong, 401);
      const ok = await guarded.inject({
        method: 'GET',
        url: '/metrics',
        headers: { authorization: 'Bearer metrics-secret-123' },
      });
      expect([ok.statusCode, ok.body]).toEqual([200, expect.stringMatching(/vmp_http_requests_total/)]);
    } finally {
      await guarded.close();
    }
    expect((await app.inject({ method: 'GET', url: '/metrics' })).statusCode).toBe(200);
  });

  it('/ready does not echo the database address or connection string', async () => {
    const database = await openDatabase({ databaseUrl: testDatabaseUrl(), poolSize: 1 });
    const unreachable = new pg.Pool({ connectionString: 'postgres://vmp:s3cret@127.0.0.1:1/nowhere', max: 1 });
    database.ping = async () => {
      await unreachable.query('select 1');
    };
    const broken = await buildApp({ config: testConfig(), database, logger: false });
    try {
      const res = await broken.inject({ method: 'GET', url: '/ready' });
      const error = expectErrorShape(res, 503, 'SERVICE_UNAVAILABLE');
      expect(res.body).not.toMatch(/127\.0\.0\.1|:1\b|s3cret|ECONNREFUSED|postgres:/);
      expect(error.message).toMatch(/database/);
    } finally {
      await broken.close();
      await database.close();
      await unreachable.end();
    }
  });
});
