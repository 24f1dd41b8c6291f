import { KeyObject } from 'node:crypto';
import { createLocalJWKSet, decodeJwt, exportJWK, generateKeyPair, jwtVerify } from 'jose';
import { describe, expect, it } from 'vitest';
import { LICENSE_FEATURES, leaseExpiry, signLease } from './lease.ts';

describe('lease', () => {
  const now = new Date('2026-01-01T00:00:00Z');
  const base = {
    activationId: 'a',
    licenseId: 'l',
    machineId: 'm',
    type: 'PRO' as const,
    licenseExpiresAt: null,
    issuer: 'vmp',
    ttlSeconds: 14 * 86400,
    offlineLimit: 0,
    now,
  };

  it('ends at the grace period, or at license expiry when sooner', () => {
    const t = now.getTime() / 1000;
    expect(leaseExpiry(base)).toBe(t + 14 * 86400);
    expect(leaseExpiry({ ...base, licenseExpiresAt: new Date((t + 3600) * 1000) })).toBe(t + 3600);
  });

  it('signs the documented claims with EdDSA', async () => {
    const { privateKey, publicKey } = await generateKeyPair('EdDSA', { crv: 'Ed25519', extractable: true });
    const lease = await signLease({ ...base, now: new Date() }, KeyObject.from(privateKey), 'k1');
    const jwks = createLocalJWKSet({ keys: [{ ...(await exportJWK(publicKey)), kid: 'k1', alg: 'EdDSA' }] });
    const { payload, protectedHeader } = await jwtVerify(lease, jwks, { issuer: 'vmp' });
    expect(protectedHeader.alg).toBe('EdDSA');
    expect(payload).toMatchObject({ sub: 'a', lic: 'l', mid: 'm', typ: 'PRO', feat: LICENSE_FEATURES.PRO, iss: 'vmp' });
    expect(decodeJwt(lease).exp! - decodeJwt(lease).iat!).toBe(14 * 86400);
  });
});
