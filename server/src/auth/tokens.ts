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
  try {
    const { payload } = await jwtVerify(token, secret, {
      issuer,
      audience: ACCESS_AUDIENCE,
      algorithms: ALGORITHMS,
      requiredClaims: ['sub', 'exp'],
    });
    if (!payload.sub) throw new UnauthenticatedError('The access token is invalid.');
    return payload.sub;
  } catch (error) {
    if (error instanceof errors.JWTExpired) throw new UnauthenticatedError('The access token expired; refresh it.');
    throw new UnauthenticatedError('The access token is invalid.');
  }
}

/** "Bearer xyz" → "xyz"; undefined when absent or another scheme. */
export function bearerToken(header: string | undefined): string | undefined {
  const match = /^Bearer\s+(\S+)\s*$/i.exec(header ?? '');
  return match?.[1];
}
