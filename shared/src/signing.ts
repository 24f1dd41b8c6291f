import { createHash, createHmac, randomBytes, timingSafeEqual } from 'node:crypto';

/**
 * Request signing shared by the desktop client and the server. Any client can implement it:
 * signature = hex(HMAC-SHA256(key, METHOD \n PATH \n TIMESTAMP \n NONCE \n hex(SHA-256(body))))
 * where PATH includes the query string and the key is a UTF-8 string (license key or machine secret).
 */
export const SIGNATURE_HEADERS = {
  timestamp: 'x-vmp-timestamp',
  nonce: 'x-vmp-nonce',
  signature: 'x-vmp-signature',
  activation: 'x-vmp-activation',
} as const;

/** A request whose timestamp is further than this from the server clock is stale. */
export const MAX_CLOCK_SKEW_SECONDS = 300;
export const NONCE_BYTES = 16;

export type BodyBytes = Uint8Array | string | undefined;

function toBytes(body: BodyBytes): Uint8Array {
  if (body === undefined) return new Uint8Array(0);
  return typeof body === 'string' ? Buffer.from(body, 'utf8') : body;
}

export function sha256Hex(body: BodyBytes): string {
  return createHash('sha256').update(toBytes(body)).digest('hex');
}

export function canonicalRequest(method: string, path: string, timestamp: string, nonce: string, body: BodyBytes) {
  return [method.toUpperCase(), path, timestamp, nonce, sha256Hex(body)].join('\n');
}

export function computeSignature(key: string, canonical: string): string {
  return createHmac('sha256', Buffer.from(key, 'utf8')).update(canonical, 'utf8').digest('hex');
}

export function newNonce(): string {
  return randomBytes(NONCE_BYTES).toString('base64url');
}

export interface SignInput {
  key: string;
  method: string;
  /** Path plus query string, exactly as sent. */
  path: string;
  body?: BodyBytes;
  /** Unix seconds; defaults to now. */
  timestamp?: number;
  nonce?: string;
}

/** Headers to add to a request (lower-case names). */
export function signRequest(input: SignInput): Record<string, string> {
  const timestamp = String(input.timestamp ?? Math.floor(Date.now() / 1000));
  const nonce = input.nonce ?? newNonce();
  const signature = computeSignature(
    input.key,
    canonicalRequest(input.method, input.path, timestamp, nonce, input.body),
  );
  return {
    [SIGNATURE_HEADERS.timestamp]: timestamp,
    [SIGNATURE_HEADERS.nonce]: nonce,
    [SIGNATURE_HEADERS.signature]: signature,
  };
}

export interface VerifyInput {
  key: string;
  method: string;
  path: string;
  body?: BodyBytes;
  timestamp: string;
  nonce: string;
  signature: string;
}

/** Constant-time comparison of the expected and the given signature. */
export function verifySignature(input: VerifyInput): boolean {
  const expected = Buffer.from(
    computeSignature(input.key, canonicalRequest(input.method, input.path, input.timestamp, input.nonce, input.body)),
    'utf8',
  );
  const given = Buffer.from(input.signature, 'utf8');
  // timingSafeEqual needs equal lengths; compare against itself to keep the time flat.
  if (given.length !== expected.length) {
    timingSafeEqual(expected, expected);
    return false;
  }
  return timingSafeEqual(expected, given);
}

export type TimestampCheck = 'ok' | 'malformed' | 'stale';

/** Timestamp must be integer unix seconds within MAX_CLOCK_SKEW_SECONDS of `nowSeconds`. */
export function checkTimestamp(
  timestamp: string,
  nowSeconds: number,
  maxSkew = MAX_CLOCK_SKEW_SECONDS,
): TimestampCheck {
  if (!/^\d{1,12}$/.test(timestamp)) return 'malformed';
  return Math.abs(Number(timestamp) - nowSeconds) > maxSkew ? 'stale' : 'ok';
}

/** Nonce: base64url of at least NONCE_BYTES random bytes (at most 128 characters). */
export function isValidNonce(nonce: string): boolean {
  return /^[A-Za-z0-9_-]{22,128}$/.test(nonce);
}

/** Proof that an activating machine holds the secret of its earlier activation (ActivateRequest.proof). */
export function reactivationProof(secret: string, machineId: string, nonce: string): string {
  return createHmac('sha256', secret).update(`vmp-reactivate:${machineId}:${nonce}`).digest('base64url');
}
