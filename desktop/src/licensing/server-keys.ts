import { readFileSync } from 'node:fs';
import { AppError } from '@vmp/shared/errors';
import { Jwks } from '@vmp/shared/http';

/**
 * The public lease keys of the production licensing server, built into the app. Rotation: the server signs with one
 * key (its `kid` in the lease header) and a new key is added here one release before the server switches to it; a
 * retired key is removed once no lease signed with it can still be valid (the 14-day grace).
 */
export const BUILT_IN_SERVER_KEYS: Jwks = {
  keys: [
    {
      kty: 'OKP',
      crv: 'Ed25519',
      x: 'UwSSOxIJJ-K769wMRQ8j4unypCkJRRtD2MYzXodjNtw',
      kid: '8TFqXW739wPaJ2ALs3qUGlIhJjNxGO-eLR4vjXETBng',
      alg: 'EdDSA',
      use: 'sig',
    },
  ],
};

/**
 * Where the lease keys this app trusts come from (`VMP_TRUST_SERVER_KEYS`):
 * - unset: the built-in production key set only;
 * - a path to a JWKS file, or the JWKS JSON itself: the keys of a self-hosted server, given by its operator;
 * - `dev`: whatever the server at the configured address publishes, pinned at activation in license.json
 *   (development and tests only: anyone who can edit that file can forge leases).
 */
export type KeyTrust = { mode: 'built-in'; jwks: Jwks } | { mode: 'configured'; jwks: Jwks } | { mode: 'dev' };

export class KeyTrustError extends AppError {
  constructor(message: string) {
    super('BAD_TRUSTED_KEYS', message, { status: 400 });
  }
}

export function keyTrust(env: NodeJS.ProcessEnv): KeyTrust {
  const value = env.VMP_TRUST_SERVER_KEYS?.trim();
  if (!value) return { mode: 'built-in', jwks: BUILT_IN_SERVER_KEYS };
  if (value === 'dev') return { mode: 'dev' };
  let text = value;
  if (!value.startsWith('{')) {
    try {
      text = readFileSync(value, 'utf8');
    } catch (error) {
      throw new KeyTrustError(
        `VMP_TRUST_SERVER_KEYS names ${value}, which cannot be read (${(error as Error).message}); give the path of your server's /.well-known/jwks.json saved as a file.`,
      );
    }
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    throw new KeyTrustError(
      'VMP_TRUST_SERVER_KEYS is not a JWKS (JSON with a "keys" list), a file holding one, or "dev".',
    );
  }
  const jwks = Jwks.safeParse(parsed);
  if (!jwks.success || jwks.data.keys.length === 0) {
    throw new KeyTrustError(
      "VMP_TRUST_SERVER_KEYS holds no keys: save your server's /.well-known/jwks.json and name that file.",
    );
  }
  return { mode: 'configured', jwks: jwks.data };
}

/** The keys a lease is checked against: never the pinned copy in license.json unless the trust mode is `dev`. */
export function trustedKeys(trust: KeyTrust, pinned: Jwks | undefined): Jwks | undefined {
  return trust.mode === 'dev' ? pinned : trust.jwks;
}
