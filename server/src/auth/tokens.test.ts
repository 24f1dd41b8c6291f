import { UnauthenticatedError } from '@vmp/shared/http';
import { describe, expect, it } from 'vitest';
import { bearerToken, signAccessToken, verifyAccessToken } from './tokens.ts';

const secret = new Uint8Array(32).fill(7);

describe('access tokens', () => {
  it('round-trips the user id', async () => {
    const token = await signAccessToken(secret, 'iss', 'user-1', 60);
    expect(await verifyAccessToken(secret, 'iss', token)).toBe('user-1');
  });

  it('refuses another secret, issuer, an expired or a tampered token', async () => {
    const token = await signAccessToken(secret, 'iss', 'user-1', 60);
    await expect(verifyAccessToken(new Uint8Array(32), 'iss', token)).rejects.toBeInstanceOf(UnauthenticatedError);
    await expect(verifyAccessToken(secret, 'other', token)).rejects.toBeInstanceOf(UnauthenticatedError);
    const expired = await signAccessToken(secret, 'iss', 'user-1', 0);
    await expect(verifyAccessToken(secret, 'iss', expired)).rejects.toThrow(/expired/);
    const [h, p, s] = token.split('.');
    const forged = Buffer.from(JSON.stringify({ ...JSON.parse(Buffer.from(p!, 'base64url').toString()), sub: 'x' }));
    await expect(verifyAccessToken(secret, 'iss', `${h}.${forged.toString('base64url')}.${s}`)).rejects.toThrow(
      /invalid/,
    );
  });

  it('parses bearer headers', () => {
    expect(bearerToken('Bearer abc')).toBe('abc');
    expect(bearerToken('bearer abc ')).toBe('abc');
    expect(bearerToken('Basic abc')).toBeUndefined();
    expect(bearerToken(undefined)).toBeUndefined();
  });
});
