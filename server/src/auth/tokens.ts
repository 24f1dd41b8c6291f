import type { KeyObject } from 'node:crypto';
import { UnauthenticatedError } from '@vmp/shared/http';
import { errors, jwtVerify, SignJWT } from 'jose';

const ACCESS_AUDIENCE = 'vmp-access';
const ALGORITHMS = ['HS256'];

/** Access tokens: HS256 JWTs (jose), the secret imported once as a KeyObject. */
export function signAccessToken(
  secret: KeyObject,
  issuer: string,
  userId: string,
  ttlSeconds: number,
): Promise<string> {
  const iat = Math.floor(Date.now() / 1000);
  return new SignJWT({})
    .setProtectedHeader({ alg: 'HS256' })
    .setSubject(userId)
    .setIssuer(issuer)
    .setAudience(ACCESS_AUDIENCE)
    .setIssuedAt(iat)
    .setExpirationTime(iat + ttlSeconds)
    .sign(secret);
}

/** Returns the user id of a valid access token; anything else is UNAUTHENTICATED. */
export async function verifyAccessToken(secret: KeyObject, issuer: string, token: string): Promise<string> {
  return (await verifyAccessTokenClaims(secret, issuer, token)).sub;
}

async function verifyAccessTokenClaims(
  secret: KeyObject,
  issuer: string,
  token: string,
): Promise<{ sub: string; exp: number }> {
  try {
    const { payload } = await jwtVerify(token, secret, {
      issuer,
      audience: ACCESS_AUDIENCE,
      algorithms: ALGORITHMS,
      requiredClaims: ['sub', 'exp'],
    });
    if (!payload.sub || payload.exp === undefined) throw new UnauthenticatedError('The access token is invalid.');
    return { sub: payload.sub, exp: payload.exp };
  } catch (error) {
    if (error instanceof errors.JWTExpired) throw new UnauthenticatedError('The access token expired; refresh it.');
    throw new UnauthenticatedError('The access token is invalid.');
  }
}

/**
 * A verifier that remembers tokens jose has already verified, by their exact text, until they expire: a client
 * sends the same token on every request, and an access token cannot be revoked before `exp` anyway. A token that
 * differs by one character is a different key and goes through jose. Bounded: the oldest entries go first.
 */
export function createAccessTokenVerifier(
  secret: KeyObject,
  issuer: string,
  { maxEntries = 10_000, now = () => Date.now() / 1000 } = {},
): (token: string) => Promise<string> {
  const verified = new Map<string, { sub: string; exp: number }>();
  return async (token) => {
    const hit = verified.get(token);
    if (hit) {
      if (now() < hit.exp) return hit.sub;
      verified.delete(token);
    }
    const claims = await verifyAccessTokenClaims(secret, issuer, token);
    if (verified.size >= maxEntries) verified.delete(verified.keys().next().value as string);
    verified.set(token, claims);
    return claims.sub;
  };
}

/** "Bearer xyz" → "xyz"; undefined when absent or another scheme. */
export function bearerToken(header: string | undefined): string | undefined {
  const match = /^Bearer\s+(\S+)\s*$/i.exec(header ?? '');
  return match?.[1];
}
