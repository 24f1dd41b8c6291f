import { createPublicKey, type JsonWebKey, verify } from 'node:crypto';
import { AppError } from '@vmp/shared/errors';
import { type Jwks, LeaseClaims } from '@vmp/shared/http';

export type LeaseProblem =
  | 'MALFORMED'
  | 'UNKNOWN_KEY'
  | 'BAD_SIGNATURE'
  | 'EXPIRED'
  | 'WRONG_MACHINE'
  | 'WRONG_ISSUER'
  | 'CLOCK_ROLLBACK'
  | 'CLOCK_TAMPERED';

/** The lease cannot be trusted; `reason` says why, so the app can tell "go online" from "tampered". */
export class LeaseInvalidError extends AppError {
  readonly reason: LeaseProblem;
  constructor(reason: LeaseProblem, message: string) {
    super('LEASE_INVALID', message, { status: 403, details: { reason } });
    this.reason = reason;
  }
}

function part(value: string | undefined): Record<string, unknown> {
  try {
    return JSON.parse(Buffer.from(value ?? '', 'base64url').toString('utf8'));
  } catch {
    throw new LeaseInvalidError('MALFORMED', 'The lease is not a JWT.');
  }
}

export interface VerifyLeaseOptions {
  machineId?: string;
  issuer?: string;
  /** Unix seconds; defaults to now. */
  now?: number;
  /** Leeway for clock differences, seconds. */
  clockTolerance?: number;
}

/**
 * Verifies a lease offline against a cached JWKS: EdDSA (Ed25519) signature, expiry, machine and issuer.
 * Uses node:crypto directly, so the desktop app needs no JOSE library for this one algorithm.
 */
export function verifyLease(lease: string, jwks: Jwks, options: VerifyLeaseOptions = {}): LeaseClaims {
  const [h, p, s] = lease.split('.');
  if (!h || !p || !s || lease.split('.').length !== 3)
    throw new LeaseInvalidError('MALFORMED', 'The lease is not a JWT.');
  const header = part(h);
  if (header.alg !== 'EdDSA')
    throw new LeaseInvalidError('MALFORMED', `Unexpected lease algorithm ${String(header.alg)}.`);
  const jwk = jwks.keys.find((k) => k.kid === header.kid && k.kty === 'OKP' && k.crv === 'Ed25519');
  if (!jwk) throw new LeaseInvalidError('UNKNOWN_KEY', 'The lease was signed with a key this app does not know.');
  const key = createPublicKey({ key: jwk as JsonWebKey, format: 'jwk' });
  if (!verify(null, Buffer.from(`${h}.${p}`, 'ascii'), key, Buffer.from(s, 'base64url'))) {
    throw new LeaseInvalidError('BAD_SIGNATURE', 'The lease signature does not verify.');
  }
  const parsed = LeaseClaims.safeParse(part(p));
  if (!parsed.success) throw new LeaseInvalidError('MALFORMED', 'The lease lacks required claims.');
  const claims = parsed.data;
  const now = options.now ?? Math.floor(Date.now() / 1000);
  if (claims.exp + (options.clockTolerance ?? 60) <= now) {
    throw new LeaseInvalidError('EXPIRED', 'The offline grace period is over; connect to the internet to renew it.');
  }
  if (options.machineId && claims.mid !== options.machineId) {
    throw new LeaseInvalidError('WRONG_MACHINE', 'This lease belongs to another machine.');
  }
  if (options.issuer && claims.iss !== options.issuer)
    throw new LeaseInvalidError('WRONG_ISSUER', 'Unexpected lease issuer.');
  return claims;
}
