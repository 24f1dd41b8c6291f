import { createSecretKey } from 'node:crypto';
import { UnauthenticatedError } from '@vmp/shared/http';
import { jwtVerify, SignJWT } from 'jose';
import { describe, expect, it } from 'vitest';
import { bearerToken, createAccessTokenVerifier, signAccessToken, verifyAccessToken } from './tokens.ts';

const bytes = new Uint8Array(32).fill(7);
const secret = createSecretKey(bytes);
const b64 = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');

describe('access tokens', () => {
  it('round-trip the user id', async () => {
    const token = await signAccessToken(secret, 'iss', 'user-1', 60);
    expect(await verifyAccessToken(secret, 'iss', token)).toBe('user-1');
    const { payload, protectedHeader } = await jwtVerify(token, bytes, { issuer: 'iss', audience: 'vmp-access' });
    expect([payload.sub, protectedHeader.alg]).toEqual(['user-1', 'HS256']);
  });

  it('refuse another secret, issuer, an expired or a tampered token', async () => {
    const token = await signAccessToken(secret, 'iss', 'user-1', 60);
    await expect(verifyAccessToken(createSecretKey(new Uint8Array(32)), 'iss', token)).rejects.toThrow(
      UnauthenticatedError,
    );
    await expect(verifyAccessToken(secret, 'other', token)).rejects.toThrow(/invalid/);
    const expired = await signAccessToken(secret, 'iss', 'user-1', 0);
    await expect(verifyAccessToken(secret, 'iss', expired)).rejects.toThrow(/expired/);
    const [h, p, s] = token.split('.');
    const forged = b64({ ...JSON.parse(Buffer.from(p!, 'base64url').toString()), sub: 'x' });
    await expect(verifyAccessToken(secret, 'iss', `${h}.${forged}.${s}`)).rejects.toThrow(/invalid/);
    await expect(verifyAccessToken(secret, 'iss', `${token}.x`)).rejects.toThrow(/invalid/);
    await expect(verifyAccessToken(secret, 'iss', 'garbage')).rejects.toThrow(/invalid/);
  });

  it('refuse alg none, other algorithms, other audiences and tokens without a subject', async () => {
    const claims = { sub: 'user-1', iss: 'iss', aud: 'vmp-access', exp: Math.floor(Date.now() / 1000) + 60 };
    await expect(verifyAccessToken(secret, 'iss', `${b64({ alg: 'none' })}.${b64(claims)}.`)).rejects.toThrow(
      /invalid/,
    );
    const hs512 = await new SignJWT(claims).setProtectedHeader({ alg: 'HS512' }).sign(new Uint8Array(64).fill(7));
    await expect(verifyAccessToken(secret, 'iss', hs512)).rejects.toThrow(/invalid/);
    const otherAudience = await new SignJWT({ ...claims, aud: 'other' })
      .setProtectedHeader({ alg: 'HS256' })
      .sign(bytes);
    await expect(verifyAccessToken(secret, 'iss', otherAudience)).rejects.toThrow(/invalid/);
    const { sub: _sub, ...anonymous } = claims;
    const noSubject = await new SignJWT(anonymous).setProtectedHeader({ alg: 'HS256' }).sign(bytes);
    await expect(verifyAccessToken(secret, 'iss', noSubject)).rejects.toThrow(/invalid/);
  });

  it('parses bearer headers', () => {
    expect(bearerToken('Bearer abc')).toBe('abc');
    expect(bearerToken('bearer abc ')).toBe('abc');
    expect(bearerToken('Basic abc')).toBeUndefined();
    expect(bearerToken(undefined)).toBeUndefined();
  });

  it('a remembering verifier answers from memory only for the exact token, and only until it expires', async () => {
    let clock = Math.floor(Date.now() / 1000);
    const verify = createAccessTokenVerifier(secret, 'iss', { maxEntries: 2, now: () => clock });
    const token = await signAccessToken(secret, 'iss', 'user-1', 1);
    expect(await verify(token)).toBe('user-1');
    expect(await verify(token)).toBe('user-1');
    const [h, p, s] = token.split('.');
    const forged = b64({ ...JSON.parse(Buffer.from(p!, 'base64url').toString()), sub: 'x' });
    await expect(verify(`${h}.${forged}.${s}`)).rejects.toThrow(/invalid/);
    await expect(verify(`${token}x`)).rejects.toThrow(/invalid/);
    clock += 2;
    await new Promise((done) => setTimeout(done, 1100));
    await expect(verify(token)).rejects.toThrow(/expired/);
  });
});
