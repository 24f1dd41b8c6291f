import { readFileSync } from 'node:fs';
import { ValidationError } from '@vmp/shared/errors';
import { type Jwks, Jwks as JwksSchema } from '@vmp/shared/http';

/**
 * The licensing-server keys a worker checks leases with. Built into the app: none yet in this build (the licensing
 * part moves the production key set into the app; until then a job is licensed only with an explicit key file).
 * `--trust-keys <jwks.json>` (or VMP_FARM_TRUST_KEYS) adds the keys of a server the operator runs or tests against:
 * a deliberate, visible choice, never read from a file the app writes.
 */
export const BUILT_IN_LEASE_KEYS: Jwks = { keys: [] };

export function workerTrustedKeys(file: string | undefined): Jwks {
  if (!file) return BUILT_IN_LEASE_KEYS;
  let parsed: Jwks;
  try {
    parsed = JwksSchema.parse(JSON.parse(readFileSync(file, 'utf8')));
  } catch (error) {
    throw new ValidationError(
      `--trust-keys "${file}" is not a JWKS file (${(error as Error).message.split('\n')[0]}): save the licensing server's /.well-known/jwks.json there.`,
    );
  }
  const usable = parsed.keys.filter((k) => k.kty === 'OKP' && k.crv === 'Ed25519' && typeof k.kid === 'string');
  if (usable.length === 0) {
    throw new ValidationError(`--trust-keys "${file}" holds no Ed25519 key with a kid: it cannot check a lease.`);
  }
  return { keys: [...BUILT_IN_LEASE_KEYS.keys, ...usable] };
}
