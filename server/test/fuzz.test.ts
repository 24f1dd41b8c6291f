import { randomUUID } from 'node:crypto';
import { signRequest } from '@vmp/shared/signing';
import type { FastifyInstance, InjectOptions, LightMyRequestResponse } from 'fastify';
import Stripe from 'stripe';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { adminHeaders, bearer, type Machine, startApp, type TestUser, userWithMachine } from './helpers.ts';

// Odd inputs at every route: nothing may answer 500, and every error uses the documented shape.
const WEBHOOK_SECRET = 'whsec_fuzz';
const stripe = new Stripe('sk_test_unused');

let deep: unknown = 1;
for (let i = 0; i < 1000; i++) deep = { d: deep };
const ODD_VALUES: unknown[] = [
  null,
  [],
  {},
  '',
  ' ',
  'x'.repeat(5000),
  '\u0000',
  'a\u0000b',
  '\ud800',
  '../../etc/passwd',
  "'; drop table users; --",
  -1,
  0,
  1.5,
  1e308,
  2 ** 63,
  -(2 ** 63),
  Number.MAX_SAFE_INTEGER + 2,
  true,
  { $gt: '' },
  [[[[[]]]]],
  deep,
];
const RAW_BODIES = ['', 'null', '[]', '"s"', '1', '1e400', '{', '{"a":1}{', '{"__proto__":{"admin":true}}', '\u0000'];
const ODD_PARAMS = [
  '%00',
  'a'.repeat(300),
  '..',
  '%ZZ',
  '%',
  '%E2%82',
  'é',
  '00000000-0000-0000-0000-00000000000%00',
  ' ',
];

type Auth = 'none' | 'user' | 'machine' | 'admin' | 'stripe';
interface Route {
  method: 'GET' | 'POST' | 'PUT' | 'DELETE';
  /** `:x` segments are replaced by odd values. */
  path: string;
  auth: Auth;
  body?: Record<string, unknown>;
}

const at = new Date().toISOString();
const ROUTES: Route[] = [
  { method: 'GET', path: '/health', auth: 'none' },
  { method: 'GET', path: '/ready', auth: 'none' },
  { method: 'GET', path: '/metrics', auth: 'none' },
  { method: 'GET', path: '/.well-known/jwks.json', auth: 'none' },
  { method: 'POST', path: '/v1/auth/register', auth: 'none', body: { email: 'a@b.cd', password: 'long enough' } },
  { method: 'POST', path: '/v1/auth/login', auth: 'none', body: { email: 'a@b.cd', password: 'long enough' } },
  { method: 'POST', path: '/v1/auth/refresh', auth: 'none', body: { refreshToken: 'x' } },
  { method: 'POST', path: '/v1/auth/logout', auth: 'none', body: { refreshToken: 'x' } },
  { method: 'GET', path: '/v1/me', auth: 'user' },
  { method: 'DELETE', path: '/v1/licenses/:l/activations/:a', auth: 'user' },
  {
    method: 'POST',
    path: '/v1/licenses/activate',
    auth: 'none',
    body: { licenseKey: 'VMP-X', machineId: 'machine-1234', appVersion: '1', platform: 'linux' },
  },
  { method: 'POST', path: '/v1/licenses/validate', auth: 'machine', body: { appVersion: '1.0.0' } },
  { method: 'POST', path: '/v1/licenses/deactivate', auth: 'machine', body: {} },
  { method: 'GET', path: '/v1/credits', auth: 'user' },
  { method: 'POST', path: '/v1/credits/reservations', auth: 'machine', body: { jobId: 'j', amount: 1 } },
  { method: 'POST', path: '/v1/credits/reservations/:id/commit', auth: 'machine', body: { used: 1 } },
  { method: 'POST', path: '/v1/credits/reservations/:id/release', auth: 'machine', body: {} },
  {
    method: 'POST',
    path: '/v1/credits/usage',
    auth: 'machine',
    body: { entries: [{ id: 'e', amount: 1, at, jobId: 'j' }] },
  },
  { method: 'POST', path: '/v1/payments/checkout', auth: 'user', body: { pack: 'nope' } },
  {
    method: 'POST',
    path: '/v1/payments/webhook',
    auth: 'stripe',
    body: { id: 'evt_1', type: 'checkout.session.completed', data: { object: { id: 'cs_1', payment_status: 'paid' } } },
  },
  { method: 'GET', path: '/v1/projects', auth: 'user' },
  { method: 'GET', path: '/v1/projects/:id', auth: 'user' },
  { method: 'PUT', path: '/v1/projects/:id', auth: 'machine', body: { doc: { name: 'n' } } },
  { method: 'DELETE', path: '/v1/projects/:id', auth: 'user' },
  {
    method: 'POST',
    path: '/v1/admin/licenses',
    auth: 'admin',
    body: { email: 'a@b.cd', type: 'PRO', maxActivations: 1 },
  },
  {
    method: 'POST',
    path: '/v1/admin/credits/grants',
    auth: 'admin',
    body: { email: 'a@b.cd', amount: 1, reason: 'r' },
  },
  { method: 'POST', path: '/v1/admin/licenses/:key/suspend', auth: 'admin' },
  { method: 'POST', path: '/v1/admin/licenses/:key/revoke', auth: 'admin' },
  { method: 'POST', path: '/v1/admin/licenses/:key/reinstate', auth: 'admin' },
];

let app: FastifyInstance;
let user: TestUser;
let machine: Machine;
beforeAll(async () => {
  app = await startApp({ stripe: { webhookSecret: WEBHOOK_SECRET } });
  ({ user, machine } = await userWithMachine(app, 100));
});
afterAll(() => app.close());

function request(route: Route, path: string, payload: string | undefined, auth = route.auth): InjectOptions {
  const json = payload === undefined ? {} : { 'content-type': 'application/json' };
  switch (auth) {
    case 'machine':
      // Signed over the exact bytes sent, odd or not, so the odd body reaches validation.
      return {
        method: route.method,
        url: path,
        payload,
        headers: {
          ...json,
          'x-vmp-activation': machine.activationId,
          ...signRequest({ key: machine.machineSecret, method: route.method, path, body: payload }),
        },
      };
    case 'user':
      return { method: route.method, url: path, payload, headers: { ...json, ...bearer(user) } };
    case 'admin':
      return { method: route.method, url: path, payload, headers: { ...json, ...adminHeaders } };
    case 'stripe': {
      const signature = stripe.webhooks.generateTestHeaderString({ payload: payload ?? '', secret: WEBHOOK_SECRET });
      return { method: route.method, url: path, payload, headers: { ...json, 'stripe-signature': signature } };
    }
    default:
      return { method: route.method, url: path, payload, headers: json };
  }
}

function fill(path: string, value: string) {
  return path.replace(/:[a-z]+/g, value);
}

const failures: string[] = [];
function check(label: string, res: LightMyRequestResponse) {
  if (res.statusCode === 500 || (res.statusCode > 500 && res.statusCode !== 503)) {
    failures.push(`${label} -> ${res.statusCode} ${res.body.slice(0, 200)}`);
    return;
  }
  if (res.statusCode >= 400) {
    let body: unknown;
    try {
      body = res.json();
    } catch {
      body = undefined;
    }
    const error = (body as { error?: { code?: unknown; message?: unknown } } | undefined)?.error;
    if (typeof error?.code !== 'string' || typeof error.message !== 'string') {
      failures.push(`${label} -> ${res.statusCode} without the error shape: ${res.body.slice(0, 200)}`);
    }
  }
}

describe('fuzz: odd inputs at every route', () => {
  it('never answer 500 and always use the error shape', async () => {
    let sent = 0;
    for (const route of ROUTES) {
      const validPath = fill(route.path, randomUUID());
      const bodies: [string, string | undefined][] = RAW_BODIES.map((raw) => [`raw ${JSON.stringify(raw)}`, raw]);
      for (const [field, valid] of Object.entries(route.body ?? {})) {
        for (const value of ODD_VALUES) {
          const label = `${field}=${JSON.stringify(value)?.slice(0, 40)}`;
          bodies.push([label, JSON.stringify({ ...route.body, [field]: value })]);
          // One level down as well (usage entries, event objects).
          if (Array.isArray(valid) && typeof valid[0] === 'object') {
            for (const inner of Object.keys(valid[0] as object)) {
              bodies.push([
                `${field}[0].${inner}=${label}`,
                JSON.stringify({ ...route.body, [field]: [{ ...(valid[0] as object), [inner]: value }] }),
              ]);
            }
          }
        }
      }
      if (route.path === '/v1/payments/webhook') {
        for (const value of ODD_VALUES) {
          bodies.push([
            `data.object=${JSON.stringify(value)?.slice(0, 40)}`,
            JSON.stringify({ id: `evt_${sent}`, type: 'charge.refunded', data: { object: value } }),
          ]);
          bodies.push([
            `charge.amount=${JSON.stringify(value)?.slice(0, 40)}`,
            JSON.stringify({
              id: `evt_c${sent}`,
              type: 'charge.refunded',
              data: { object: { id: 'ch', payment_intent: 'pi', amount: value, amount_refunded: 1 } },
            }),
          ]);
        }
      }
      for (const [label, payload] of bodies) {
        const body = route.method === 'GET' ? undefined : payload;
        check(`${route.method} ${validPath} ${label}`, await app.inject(request(route, validPath, body)));
        sent++;
      }
      for (const param of route.path.includes(':') ? ODD_PARAMS : []) {
        const path = fill(route.path, param);
        check(`${route.method} ${path}`, await app.inject(request(route, path, undefined)));
        sent++;
      }
      // Without credentials, and with junk ones.
      for (const headers of [
        {},
        { authorization: 'Bearer x.y.z' },
        { authorization: `Bearer ${'a'.repeat(10_000)}` },
        { 'x-vmp-activation': 'junk', 'x-vmp-timestamp': '1e400', 'x-vmp-nonce': '%%%', 'x-vmp-signature': 'zz' },
        {
          'x-vmp-activation': randomUUID(),
          'x-vmp-timestamp': String(Math.floor(Date.now() / 1000)),
          'x-vmp-nonce': 'A'.repeat(22),
          'x-vmp-signature': '0'.repeat(64),
        },
        { 'stripe-signature': 't=1,v1=abc' },
      ]) {
        const res = await app.inject({ method: route.method, url: validPath, headers });
        check(`${route.method} ${validPath} headers ${JSON.stringify(headers).slice(0, 60)}`, res);
        sent++;
      }
    }
    for (const query of [
      'since=-1',
      'since=99999999999999999999',
      'limit=abc',
      'limit=1e9',
      'since[]=1',
      'limit=0',
      'since=%00',
    ]) {
      check(
        `GET /v1/projects?${query}`,
        await app.inject({ method: 'GET', url: `/v1/projects?${query}`, headers: bearer(user) }),
      );
      sent++;
    }
    expect(failures).toEqual([]);
    expect(sent).toBeGreaterThan(1000);
  });
});
