import type { KeyObject } from 'node:crypto';
import type { LicenseType } from '@vmp/shared/http';
import { SignJWT } from 'jose';
import { LEASE_ALG } from '../keys.ts';

/** What each license type unlocks; the lease carries it so the app can gate features offline. */
export const LICENSE_FEATURES: Record<LicenseType, string[]> = {
  TRIAL: ['render', 'watermark'],
  PRO: ['render', 'unique-strategy', 'sync'],
  ENTERPRISE: ['render', 'unique-strategy', 'sync', 'priority-support'],
};

export interface LeaseInput {
  activationId: string;
  licenseId: string;
  machineId: string;
  type: LicenseType;
  licenseExpiresAt: Date | null;
  issuer: string;
  ttlSeconds: number;
  now?: Date;
  /** The machine's farm job key (JWK x), vouched for in the lease so farm workers can verify its jobs. */
  farmKey?: string;
  /** Usage-chain total the machine may reach offline (its allowance, held by the server). */
  offlineLimit: number;
  /** Usage-chain total the server has been told of: a machine whose own chain is shorter lost entries. */
  offlineReported?: number;
}

/** The offline grace ends after ttlSeconds, or when the license expires if that comes first. */
export function leaseExpiry(input: Pick<LeaseInput, 'licenseExpiresAt' | 'ttlSeconds' | 'now'>): number {
  const now = Math.floor((input.now ?? new Date()).getTime() / 1000);
  const grace = now + input.ttlSeconds;
  if (!input.licenseExpiresAt) return grace;
  return Math.min(grace, Math.floor(input.licenseExpiresAt.getTime() / 1000));
}

/** The lease: an EdDSA JWT signed with jose; the app verifies it offline against /.well-known/jwks.json. */
export function signLease(input: LeaseInput, privateKey: KeyObject, kid: string): Promise<string> {
  const iat = Math.floor((input.now ?? new Date()).getTime() / 1000);
  return new SignJWT({
    lic: input.licenseId,
    mid: input.machineId,
    typ: input.type,
    feat: LICENSE_FEATURES[input.type],
    ...(input.farmKey ? { fjk: input.farmKey } : {}),
    ocl: input.offlineLimit,
    rep: input.offlineReported ?? 0,
  })
    .setProtectedHeader({ alg: LEASE_ALG, kid, typ: 'vmp-lease+jwt' })
    .setSubject(input.activationId)
    .setIssuer(input.issuer)
    .setIssuedAt(iat)
    .setExpirationTime(leaseExpiry(input))
    .sign(privateKey);
}
