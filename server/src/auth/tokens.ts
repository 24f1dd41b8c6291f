import { createHmac, type KeyObject, timingSafeEqual } from 'node:crypto';
import { UnauthenticatedError } from '@vmp/shared/http';

const ACCESS_AUDIENCE = 'vmp-access';
/** The only header access tokens carry (what jose wrote for them before), so no other alg is ever considered. */
const HEADER = Buffer.from(JSON.stringify({ alg: 'HS256' })).toString('base64url');

function mac(secret: KeyObject, signingInput: string): string {
  return createHmac('sha256', secret).update(signingInput).digest('base64url');
}

/**
 * HS256 JWTs with node:crypto directly: every JWT-authenticated request verifies one, and jose's WebCrypto
 * path cost about 80 us of CPU and a thread-pool round trip each; this is synchronous and costs under 10 us.
 * auth/tokens.test.ts checks both directions against jose.
 */
export function signAccessToken(secret: KeyObject, issuer: string, userId: string, ttlSeconds: number): string {
  const iat = Math.floor(Date.now() / 1000);
  const claims = { sub: userId, iss: issuer, aud: ACCESS_AUDIENCE, iat, exp: iat + ttlSeconds };
  const signingInput = `${HEADER}.${Buffer.from(JSON.stringify(claims)).toString('base64url')}`;
  return `${signingInput}.${mac(secret, signingInput)}`;
}

/** Returns the user id of a valid access token; anything else is UNAUTHENTICATED. */
export function verifyAccessToken(secret: KeyObject, issuer: string, token: string): string {
  const invalid = new UnauthenticatedError('The access token is invalid.');
  const [header, payload, signature, ...rest] = token.split('.');
  if (header !== HEADER || !payload || !signature || rest.length > 0) throw invalid;
  const expected = Buffer.from(mac(secret, `${header}.${payload}`));
  const given = Buffer.from(signature);
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) throw invalid;
  let claims: unknown;
  try {
    claims = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8'));
  } catch {
    throw invalid;
  }
  if (typeof claims !== 'object' || claims === null) throw invalid;
  const { sub, iss, aud, exp } = claims as Record<string, unknown>;
  if (iss !== issuer || aud !== ACCESS_AUDIENCE || typeof sub !== 'string' || !sub || typeof exp !== 'number') {
    throw invalid;
  }
  if (exp <= Math.floor(Date.now() / 1000)) throw new UnauthenticatedError('The access token expired; refresh it.');
  return sub;
}

/** "Bearer xyz" → "xyz"; undefined when absent or another scheme. */
export function bearerToken(header: string | undefined): string | undefined {
  const match = /^Bearer\s+(\S+)\s*$/i.exec(header ?? '');
  return match?.[1];
}
