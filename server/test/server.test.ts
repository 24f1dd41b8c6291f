import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  activatedMachine,
  bearer,
  createLicense,
  errorCode,
  grantCredits,
  machineRequest,
  registerUser,
  startApp,
} from './helpers.ts';

let app: FastifyInstance;
beforeAll(async () => {
  app = await startApp();
});
afterAll(() => app.close());

describe('operations endpoints', () => {
  it('answers health, readiness and the JWKS', async () => {
    expect((await app.inject({ method: 'GET', url: '/health' })).json()).toEqual({ status: 'ok' });
    expect((await app.inject({ method: 'GET', url: '/ready' })).json()).toEqual({
      status: 'ready',
      database: 'postgres',
    });
    const jwks = (await app.inject({ method: 'GET', url: '/.well-known/jwks.json' })).json();
    expect(jwks.keys[0]).toMatchObject({ kty: 'OKP', crv: 'Ed25519', alg: 'EdDSA', use: 'sig' });
    expect(jwks.keys[0].d).toBeUndefined();
  });

  it('exports Prometheus metrics for requests, activations and credits', async () => {
    const user = await registerUser(app);
    const license = await createLicense(app, user.email);
    const machine = await activatedMachine(app, license.licenseKey);
    await grantCredits(app, user.email, 5);
    const hold = await machineRequest(app, machine, {
      method: 'POST',
      url: '/v1/credits/reservations',
      body: { jobId: 'metrics-job', amount: 3 },
    });
    await machineRequest(app, machine, {
      method: 'POST',
      url: `/v1/credits/reservations/${hold.json().id}/commit`,
      body: { used: 2 },
    });
    const text = (await app.inject({ method: 'GET', url: '/metrics' })).body;
    expect(text).toMatch(/vmp_http_requests_total\{method="POST",route="\/v1\/licenses\/activate",status="201"\} 1/);
    expect(text).toMatch(
      /^vmp_http_request_duration_seconds_count\{method="POST",route="\/v1\/licenses\/activate"\} 1$/m,
    );
    expect(text).toMatch(/^vmp_activations_total 1$/m);
    expect(text).toMatch(/^vmp_credits_reserved_total 3$/m);
    expect(text).toMatch(/^vmp_credits_committed_total 2$/m);
  });
});

describe('errors', () => {
  it('uses one JSON shape for unknown routes, bad JSON, wrong media types and large bodies', async () => {
    const notFound = await app.inject({ method: 'GET', url: '/v1/nothing' });
    expect(notFound.statusCode).toBe(404);
    expect(notFound.json()).toEqual({ error: { code: 'NOT_FOUND', message: 'No route GET /v1/nothing.' } });
    const badJson = await app.inject({
      method: 'POST',
      url: '/v1/auth/login',
      headers: { 'content-type': 'application/json' },
      payload: '{"email":',
    });
    expect([badJson.statusCode, errorCode(badJson)]).toEqual([422, 'VALIDATION_ERROR']);
    const text = await app.inject({
      method: 'POST',
      url: '/v1/auth/login',
      headers: { 'content-type': 'text/plain' },
      payload: 'hello',
    });
    expect([text.statusCode, errorCode(text)]).toEqual([415, 'UNSUPPORTED_MEDIA_TYPE']);
    const big = await app.inject({
      method: 'POST',
      url: '/v1/auth/login',
      headers: { 'content-type': 'application/json' },
      payload: JSON.stringify({ email: 'a@b.c', password: 'x'.repeat(1024 * 1024) }),
    });
    expect(big.statusCode).toBe(413);
    expect(big.json().error).toMatchObject({ code: 'PAYLOAD_TOO_LARGE', details: { limit: 1048576 } });
  });

  it('sets security headers', async () => {
    const res = await app.inject({ method: 'GET', url: '/health' });
    expect(res.headers['x-content-type-options']).toBe('nosniff');
    expect(res.headers['x-frame-options']).toBe('SAMEORIGIN');
  });
});

describe('admin endpoints', () => {
  it('exist only when VMP_ADMIN_TOKEN is set', async () => {
    const noAdmin = await startApp({ adminToken: undefined });
    try {
      const res = await noAdmin.inject({
        method: 'POST',
        url: '/v1/admin/licenses',
        headers: { authorization: 'Bearer anything' },
        payload: {},
      });
      expect(res.statusCode).toBe(404);
    } finally {
      await noAdmin.close();
    }
  });

  it('need the account to exist', async () => {
    const res = await app.inject({
      method: 'POST',
      url: '/v1/admin/licenses',
      headers: { authorization: 'Bearer test-admin-token-0123456789' },
      payload: { email: 'nobody@example.test', type: 'PRO', maxActivations: 1 },
    });
    expect(res.statusCode).toBe(404);
    expect(res.json().error.message).toMatch(/register first/);
  });

  it('shows created licenses on the owner /me', async () => {
    const user = await registerUser(app);
    const license = await createLicense(app, user.email, { type: 'TRIAL', maxActivations: 2 });
    expect(license.licenseKey).toMatch(/^VMP-/);
    const me = (await app.inject({ method: 'GET', url: '/v1/me', headers: bearer(user) })).json();
    expect(me.licenses[0]).toMatchObject({
      id: license.licenseId,
      key: license.licenseKey,
      type: 'TRIAL',
      maxActivations: 2,
    });
  });
});
