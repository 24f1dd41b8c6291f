import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bearer, errorCode, registerUser, startApp, uniqueEmail } from './helpers.ts';

let app: FastifyInstance;
beforeAll(async () => {
  app = await startApp();
});
afterAll(() => app.close());

const post = (url: string, payload: Record<string, unknown>) => app.inject({ method: 'POST', url, payload });

describe('accounts', () => {
  it('registers, normalises the email, and logs in', async () => {
    const email = uniqueEmail('Mixed.Case');
    const res = await post('/v1/auth/register', { email: `  ${email.toUpperCase()}`.trim(), password: 'password-123' });
    expect(res.statusCode).toBe(201);
    const body = res.json();
    expect(body.user.email).toBe(email.toLowerCase());
    expect(body.accessToken.split('.')).toHaveLength(3);
    const login = await post('/v1/auth/login', { email, password: 'password-123' });
    expect(login.statusCode).toBe(200);
    expect(login.json().user.id).toBe(body.user.id);
    const again = await post('/v1/auth/register', { email: email.toLowerCase(), password: 'password-123' });
    expect([again.statusCode, errorCode(again)]).toEqual([409, 'CONFLICT']);
  });

  it('refuses a wrong password or unknown email with the same answer', async () => {
    const user = await registerUser(app);
    const wrong = await post('/v1/auth/login', { email: user.email, password: 'not the password' });
    const unknown = await post('/v1/auth/login', { email: uniqueEmail(), password: 'not the password' });
    expect([wrong.statusCode, errorCode(wrong)]).toEqual([401, 'UNAUTHENTICATED']);
    expect(unknown.json()).toEqual(wrong.json());
  });

  it('validates input with the shared schemas', async () => {
    const res = await post('/v1/auth/register', { email: 'not-an-email', password: 'short' });
    expect(res.statusCode).toBe(422);
    expect(res.json().error.code).toBe('VALIDATION_ERROR');
    expect(res.json().error.details.issues.map((i: { path: string }) => i.path)).toEqual([
      'body.email',
      'body.password',
    ]);
  });

  it('shows the account on /me only with a valid access token', async () => {
    const user = await registerUser(app);
    const me = await app.inject({ method: 'GET', url: '/v1/me', headers: bearer(user) });
    expect(me.statusCode).toBe(200);
    expect(me.json()).toEqual({
      user: { id: user.user.id, email: user.email },
      licenses: [],
      credits: { balance: 0, held: 0, available: 0, offlineHeld: 0 },
    });
    expect((await app.inject({ method: 'GET', url: '/v1/me' })).statusCode).toBe(401);
    const tampered = `${user.accessToken.slice(0, -2)}xx`;
    const bad = await app.inject({ method: 'GET', url: '/v1/me', headers: { authorization: `Bearer ${tampered}` } });
    expect(errorCode(bad)).toBe('UNAUTHENTICATED');
  });

  it('rotates refresh tokens and revokes the family when an old one is reused', async () => {
    const user = await registerUser(app);
    const first = await post('/v1/auth/refresh', { refreshToken: user.refreshToken });
    expect(first.statusCode).toBe(200);
    const rotated = first.json().refreshToken;
    expect(rotated).not.toBe(user.refreshToken);
    const reuse = await post('/v1/auth/refresh', { refreshToken: user.refreshToken });
    expect([reuse.statusCode, errorCode(reuse)]).toEqual([401, 'UNAUTHENTICATED']);
    // The reuse revoked the newer token of the same login too.
    expect((await post('/v1/auth/refresh', { refreshToken: rotated })).statusCode).toBe(401);
  });

  it('lets only one of two concurrent refreshes with the same token win', async () => {
    const user = await registerUser(app);
    const results = await Promise.all([
      post('/v1/auth/refresh', { refreshToken: user.refreshToken }),
      post('/v1/auth/refresh', { refreshToken: user.refreshToken }),
    ]);
    const codes = results.map((r) => r.statusCode).sort();
    expect(codes).toEqual([200, 401]);
    // The loser looked like a reuse: the winner's new token was revoked with the family.
    const winner = results.find((r) => r.statusCode === 200)!;
    expect((await post('/v1/auth/refresh', { refreshToken: winner.json().refreshToken })).statusCode).toBe(401);
  });

  it('logs out by revoking the refresh token', async () => {
    const user = await registerUser(app);
    expect((await post('/v1/auth/logout', { refreshToken: user.refreshToken })).statusCode).toBe(204);
    expect((await post('/v1/auth/refresh', { refreshToken: user.refreshToken })).statusCode).toBe(401);
    expect((await post('/v1/auth/logout', { refreshToken: user.refreshToken })).statusCode).toBe(204);
  });
});

describe('login rate limit', () => {
  it('limits attempts per email and per IP', async () => {
    const limited = await startApp({
      rateLimit: { authPerIp: 6, loginPerEmail: 3, activatePerIp: 100, adminPerIp: 100, windowMs: 60_000 },
    });
    try {
      const user = await registerUser(limited);
      const attempt = (email: string) =>
        limited.inject({ method: 'POST', url: '/v1/auth/login', payload: { email, password: 'wrong password!' } });
      const byEmail = [];
      for (let i = 0; i < 4; i++) byEmail.push((await attempt(user.email)).statusCode);
      expect(byEmail).toEqual([401, 401, 401, 429]);
      // The same email in another case is the same account.
      const upper = await attempt(user.email.toUpperCase());
      expect([upper.statusCode, errorCode(upper)]).toEqual([429, 'RATE_LIMITED']);
      // Register + 5 logins used 6 of the IP's budget: other emails are limited now too.
      const other = await attempt(uniqueEmail());
      expect(errorCode(other)).toBe('RATE_LIMITED');
    } finally {
      await limited.close();
    }
  });
});
