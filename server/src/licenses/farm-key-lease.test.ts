import { KeyObject } from 'node:crypto';
import { farmJobKey } from '@vmp/shared/farm-key';
import { decodeJwt, generateKeyPair } from 'jose';
import { describe, expect, it } from 'vitest';
import { signLease } from './lease.ts';

// The lease vouches for the machine's render-farm job key: a worker trusts jobs signed with it (#18 item 4).
describe('lease farm key', () => {
  it('carries the public half of the key derived from the machine secret as fjk', async () => {
    const { privateKey } = await generateKeyPair('EdDSA', { crv: 'Ed25519', extractable: true });
    const input = {
      activationId: 'a',
      licenseId: 'l',
      machineId: 'm',
      type: 'PRO' as const,
      licenseExpiresAt: null,
      issuer: 'vmp',
      ttlSeconds: 3600,
      offlineLimit: 0,
    };
    const signed = await signLease(
      { ...input, farmKey: farmJobKey('machine-secret').x },
      KeyObject.from(privateKey),
      'k1',
    );
    expect(decodeJwt(signed).fjk).toBe(farmJobKey('machine-secret').x);
    expect(decodeJwt(await signLease(input, KeyObject.from(privateKey), 'k1')).fjk).toBeUndefined();
  });
});
