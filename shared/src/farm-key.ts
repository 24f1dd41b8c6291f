import { createPrivateKey, createPublicKey, hkdfSync, type KeyObject } from 'node:crypto';

/**
 * The key a licensed machine signs its render-farm jobs with: an Ed25519 key derived (HKDF-SHA256, its own label)
 * from the machine secret the server and that machine share. The server puts its public half in the machine's
 * lease (claim `fjk`), so a farm worker that trusts the server's key trusts this machine's jobs, and nobody without
 * the machine secret can sign one. The label keeps it apart from the request-signing use of the same secret.
 */
const LABEL = 'vmp farm job signing key v1';

// RFC 8410: PKCS #8 wrapping of a raw 32-byte Ed25519 private key (the only way node:crypto takes a seed).
const PKCS8_ED25519_PREFIX = Buffer.from('302e020100300506032b657004220420', 'hex');

export interface FarmJobKey {
  privateKey: KeyObject;
  publicKey: KeyObject;
  /** The public key as the JWK `x` (base64url of 32 bytes): the lease's `fjk` claim. */
  x: string;
}

export function farmJobKey(machineSecret: string): FarmJobKey {
  if (!machineSecret) throw new Error('A machine secret is needed to derive the farm job key.');
  const seed = Buffer.from(hkdfSync('sha256', Buffer.from(machineSecret, 'utf8'), Buffer.alloc(0), LABEL, 32));
  const privateKey = createPrivateKey({
    key: Buffer.concat([PKCS8_ED25519_PREFIX, seed]),
    format: 'der',
    type: 'pkcs8',
  });
  const publicKey = createPublicKey(privateKey);
  const { x } = publicKey.export({ format: 'jwk' });
  return { privateKey, publicKey, x: x! };
}
