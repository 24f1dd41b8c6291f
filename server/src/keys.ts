import { createPrivateKey, createSecretKey, type JsonWebKeyInput, type KeyObject, randomBytes } from 'node:crypto';
import { eq } from 'drizzle-orm';
import { calculateJwkThumbprint, exportJWK, generateKeyPair, type JWK } from 'jose';
import type { Db } from './db/index.ts';
import { serverKeys } from './db/schema.ts';

export const LEASE_ALG = 'EdDSA';

export interface ServerKeys {
  /** Ed25519, imported once as a KeyObject (jose caches its CryptoKey form). */
  leaseSigningKey: KeyObject;
  leasePublicJwk: JWK;
  kid: string;
  /** HMAC key of access tokens. */
  accessKey: KeyObject;
}

/** Stores a value under `id` unless one exists, and returns whichever won (safe when processes race). */
async function getOrCreate<T>(db: Db, id: string, make: () => Promise<T>): Promise<T> {
  const existing = await db.select().from(serverKeys).where(eq(serverKeys.id, id));
  if (existing[0]) return existing[0].value as T;
  await db
    .insert(serverKeys)
    .values({ id, value: await make() })
    .onConflictDoNothing();
  const [row] = await db.select().from(serverKeys).where(eq(serverKeys.id, id));
  return row!.value as T;
}

/** Loads the key material from the database, generating it on first start. */
export async function loadServerKeys(db: Db): Promise<ServerKeys> {
  const lease = await getOrCreate(db, 'lease-ed25519', async () => {
    const { privateKey } = await generateKeyPair(LEASE_ALG, { crv: 'Ed25519', extractable: true });
    return exportJWK(privateKey);
  });
  const access = await getOrCreate(db, 'access-hs256', async () => ({ k: randomBytes(32).toString('base64url') }));
  const { d: _private, ...publicJwk } = lease;
  const kid = await calculateJwkThumbprint(publicJwk);
  return {
    leaseSigningKey: createPrivateKey({ key: lease as JsonWebKeyInput['key'], format: 'jwk' }),
    leasePublicJwk: { ...publicJwk, kid, alg: LEASE_ALG, use: 'sig' },
    kid,
    accessKey: createSecretKey(Buffer.from(access.k, 'base64url')),
  };
}
