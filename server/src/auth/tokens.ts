import { UnauthenticatedError } from '@vmp/shared/http';
import { type CryptoKey, errors, jwtVerify, SignJWT } from 'jose';

const ACCESS_AUDIENCE = 'vmp-access';

export async function signAccessToken(
  secret: CryptoKey | Uint8Array,
  issuer: string,
  userId: string,
  ttlSeconds: number,
): Promise<string> {
  return new SignJWT({})
    .setProtectedHeader({ alg: 'HS256' })
    .setSubject(userId)
    .setIssuer(issuer)
    .setAudience(ACCESS_AUDIENCE)
    .setIssuedAt()
    .setExpirationTime(`${ttlSeconds}s`)
    .sign(secret);
}

/** Returns the user id of a valid access token; anything else is UNAUTHENTICATED. */
export async function verifyAccessToken(
  secret: CryptoKey | Uint8Array,
  issuer: string,
  token: string,
): Promise<string> {
  try {
    const { payload } = await jwtVerify(token, secret, {
      issuer,
      audience: ACCESS_AUDIENCE,
      algorithms: ['HS256'],
    });
    if (!payload.sub) throw new UnauthenticatedError('The access token has no subject.');
    return payload.sub;
  } catch (error) {
    if (error instanceof errors.JWTExpired) throw new UnauthenticatedError('The access token expired; refresh it.');
    if (error instanceof UnauthenticatedError) throw error;
    throw new UnauthenticatedError('The access token is invalid.');
  }
}

/** "Bearer xyz" → "xyz"; undefined when absent or another scheme. */
export function bearerToken(header: string | undefined): string | undefined {
  const match = /^Bearer\s+(\S+)\s*$/i.exec(header ?? '');
  return match?.[1];
}
