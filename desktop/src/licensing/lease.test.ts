import { generateKeyPairSync, sign } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { LeaseInvalidError, verifyLease } from './lease.ts';

const { privateKey, publicKey } = generateKeyPairSync('ed25519');
const jwks = { keys: [{ ...publicKey.export({ format: 'jwk' }), kid: 'k1', alg: 'EdDSA', use: 'sig' }] };
const now = 1_800_000_000;

function makeLease(claims: Record<string, unknown>, kid = 'k1', key = privateKey): string {
  const h = Buffer.from(JSON.stringify({ alg: 'EdDSA', kid })).toString('base64url');
  const p = Buffer.from(JSON.stringify(claims)).toString('base64url');
  return `${h}.${p}.${sign(null, Buffer.from(`${h}.${p}`), key).toString('base64url')}`;
}

const claims = {
  sub: 'a',
  lic: 'l',
  mid: 'm1',
  typ: 'PRO',
  feat: ['render'],
  iat: now,
  exp: now + 3600,
  iss: 'vmp-server',
};

function reason(fn: () => unknown): string | undefined {
  try {
    fn();
  } catch (error) {
    return error instanceof LeaseInvalidError ? error.reason : `other: ${String(error)}`;
  }
  return undefined;
}

describe('offline lease verification', () => {
  it('accepts a valid lease for this machine', () => {
    expect(verifyLease(makeLease(claims), jwks, { now, machineId: 'm1', issuer: 'vmp-server' })).toMatchObject({
      typ: 'PRO',
    });
  });

  it('names the problem of a bad lease', () => {
    const good = makeLease(claims);
    const [h, , s] = good.split('.');
    const forged = `${h}.${Buffer.from(JSON.stringify({ ...claims, typ: 'ENTERPRISE' })).toString('base64url')}.${s}`;
    expect(reason(() => verifyLease(forged, jwks, { now }))).toBe('BAD_SIGNATURE');
    expect(reason(() => verifyLease(good, jwks, { now: now + 3600 + 61 }))).toBe('EXPIRED');
    expect(reason(() => verifyLease(good, jwks, { now, machineId: 'm2' }))).toBe('WRONG_MACHINE');
    expect(reason(() => verifyLease(makeLease(claims, 'k2'), jwks, { now }))).toBe('UNKNOWN_KEY');
    const other = generateKeyPairSync('ed25519').privateKey;
    expect(reason(() => verifyLease(makeLease(claims, 'k1', other), jwks, { now }))).toBe('BAD_SIGNATURE');
    expect(reason(() => verifyLease('not.a.jwt', jwks, { now }))).toBe('MALFORMED');
    expect(reason(() => verifyLease(makeLease({ ...claims, mid: undefined }), jwks, { now }))).toBe('MALFORMED');
  });
});
