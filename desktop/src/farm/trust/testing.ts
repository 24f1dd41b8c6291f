import { createPublicKey, generateKeyPairSync, type KeyObject } from 'node:crypto';
import { farmJobKey } from '@vmp/shared/farm-key';
import type { Jwks } from '@vmp/shared/http';
import { SignJWT } from 'jose';

/** A stand-in licensing server for unit tests: an Ed25519 key and leases signed as the real server signs them. */
export function testLicensingServer(kid = 'test-1') {
  const { privateKey, publicKey } = generateKeyPairSync('ed25519');
  const jwks: Jwks = { keys: [{ ...publicKey.export({ format: 'jwk' }), kid, alg: 'EdDSA', use: 'sig' }] };
  return {
    jwks,
    privateKey,
    lease(
      machineSecret: string,
      extra: { exp?: number; fjk?: string | null; key?: KeyObject; feat?: string[] } = {},
    ): Promise<string> {
      const now = Math.floor(Date.now() / 1000);
      const fjk = extra.fjk === undefined ? farmJobKey(machineSecret).x : extra.fjk;
      return new SignJWT({
        lic: 'licence-1',
        mid: 'machine-1',
        typ: 'PRO',
        feat: extra.feat ?? ['render', 'unique-strategy', 'sync'],
        ...(fjk ? { fjk } : {}),
      })
        .setProtectedHeader({ alg: 'EdDSA', kid, typ: 'vmp-lease+jwt' })
        .setSubject('activation-1')
        .setIssuer('vmp-test')
        .setIssuedAt(now - 10)
        .setExpirationTime(extra.exp ?? now + 3600)
        .sign(extra.key ?? privateKey);
    },
    publicKey: createPublicKey(privateKey),
  };
}
