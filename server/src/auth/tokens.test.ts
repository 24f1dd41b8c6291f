import { createSecretKey } from 'node:crypto';
import { UnauthenticatedError } from '@vmp/shared/http';
import { jwtVerify, SignJWT } from 'jose';
import { describe, expect, it } from 'vitest';
import { bearerToken, signAccessToken, verifyAccessToken } from './tokens.ts';

const bytes = new Uint8Array(32).fill(7);
const secret = createSecretKey(bytes);
const b64 = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');

describe('access tokens', () => {
  it('round-trips the user id', () => {
    const token = signAccessToken(secret, 'iss', 'user-1', 60);
    expect(verifyAccessToken(secret, 'iss', token)).toBe('user-1');
  });

  it('refuses another secret, issuer, an expired or a tampered token', () => {
    const token = signAccessToken(secret, 'iss', 'user-1', 60);
    expect(() => verifyAccessToken(createSecretKey(new Uint8Array(32)), 'iss', token)).toThrow(UnauthenticatedError);
    expect(() => verifyAccessToken(secret, 'other', token)).toThrow(UnauthenticatedError);
    const expired = signAccessToken(secret, 'iss', 'user-1', 0);
    expect(() => verifyAccessToken(secret, 'iss', expired)).toThrow(/expired/);
    const [h, p, s] = token.split('.');
    const forged = b64({ ...JSON.parse(Buffer.from(p!, 'base64url').toString()), sub: 'x' });
    expect(() => verifyAccessToken(secret, 'iss', `${h}.${forged}.${s}`)).toThrow(/invalid/);
    expect(() => verifyAccessToken(secret, 'iss', `${token}.x`)).toThrow(/invalid/);
  });

  it('agrees with jose in both directions', async () => {
    const ours = signAccessToken(secret, 'iss', 'user-1', 60);
    const { payload } = await jwtVerify(ours, bytes, { issuer: 'iss', audience: 'vmp-access', algorithms: ['HS256'] });
    expect(payload.sub).toBe('user-1');
    const theirs = await new SignJWT({})
      .setProtectedHeader({ alg: 'HS256' })
      .setSubject('user-2')
      .setIssuer('iss')
      .setAudience('vmp-access')
      .setIssuedAt()
      .setExpirationTime('60s')
      .sign(bytes);
    expect(verifyAccessToken(secret, 'iss', theirs)).toBe('user-2');
  });

  it('accepts only its own header and audience, each correctly signed', async () => {
    const claims = { sub: 'user-1', iss: 'iss', aud: 'vmp-access', exp: Math.floor(Date.now() / 1000) + 60 };
    const unsigned = `${b64({ alg: 'none' })}.${b64(claims)}.`;
    expect(() => verifyAccessToken(secret, 'iss', unsigned)).toThrow(/invalid/);
    const typed = await new SignJWT(claims).setProtectedHeader({ alg: 'HS256', typ: 'JWT' }).sign(bytes);
    expect(() => verifyAccessToken(secret, 'iss', typed)).toThrow(/invalid/);
    const otherAudience = await new SignJWT({ ...claims, aud: 'other' })
      .setProtectedHeader({ alg: 'HS256' })
      .sign(bytes);
    expect(() => verifyAccessToken(secret, 'iss', otherAudience)).toThrow(/invalid/);
  });

  it('parses bearer headers', () => {
    expect(bearerToken('Bearer abc')).toBe('abc');
    expect(bearerToken('bearer abc ')).toBe('abc');
    expect(bearerToken('Basic abc')).toBeUndefined();
    expect(bearerToken(undefined)).toBeUndefined();
  });
});
