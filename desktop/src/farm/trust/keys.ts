import { readFileSync } from 'node:fs';
import { ValidationError } from '@vmp/shared/errors';
import { type Jwks, Jwks as JwksSchema } from '@vmp/shared/http';
import { BUILT_IN_SERVER_KEYS, keyTrust } from '../../licensing/server-keys.ts';

/**
 * The licensing-server keys a worker checks leases with: the production key set built into the app
 * (licensing/server-keys.ts), or the keys of a self-hosted server named by VMP_TRUST_SERVER_KEYS as for the app
 * ("dev" pins nothing on a worker: built-in keys only). `--trust-keys <jwks.json>` (or VMP_FARM_TRUST_KEYS) adds the
 * keys of a server the operator runs or tests against: a deliberate, visible choice, never a file the app writes.
 */
export function baseLeaseKeys(env: NodeJS.ProcessEnv = process.env): Jwks {
  const trust = keyTrust(env);
  return trust.mode === 'dev' ? BUILT_IN_SERVER_KEYS : trust.jwks;
}

/** The built-in production keys (what a worker started without options trusts). */
export const BUILT_IN_LEASE_KEYS: Jwks = BUILT_IN_SERVER_KEYS;

export function workerTrustedKeys(file: string | undefined, env: NodeJS.ProcessEnv = process.env): Jwks {
  const base = baseLeaseKeys(env);
  if (!file) return base;
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
  return { keys: [...base.keys, ...usable] };
}
