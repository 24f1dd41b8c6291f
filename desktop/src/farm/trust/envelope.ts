import { createPublicKey, generateKeyPairSync, type KeyObject } from 'node:crypto';
import type { Jwks, LeaseClaims } from '@vmp/shared/http';
import { CompactSign, compactVerify, decodeJwt, EmbeddedJWK, errors, importJWK } from 'jose';
import { z } from 'zod';
import { LeaseInvalidError, verifyLease } from '../../licensing/lease.ts';
import { FarmJobRefusedError } from './errors.ts';

/**
 * A farm job on the wire: the render batch as the payload of a compact JWS (EdDSA), plus the submitter's lease.
 * Licensed submitters sign with the farm job key derived from their machine secret, whose public half their lease
 * carries (`fjk`, signed by the licensing server); an unlicensed submitter signs with a key of its own, put in the
 * JWS header, which proves only that the job was not changed on the way: its outputs get the watermark.
 */
export const FARM_JOB_TYPE = 'vmp-farm-job+jws';

export const SignedFarmJob = z.strictObject({
  jws: z.string().min(1).max(20_000_000),
  lease: z.string().min(1).max(16_384).optional(),
});
export type SignedFarmJob = z.infer<typeof SignedFarmJob>;

export interface FarmJobSigner {
  /** The lease that vouches for `key`; null: unlicensed (self-signed jobs, watermarked by every worker). */
  readonly lease: string | null;
  readonly key: KeyObject;
}

/** What a worker concluded about who sent a job. */
export type JobTrust =
  | { licensed: true; licence: string; machine: string }
  | { licensed: false; why: string; machine?: string };

export async function sealJob(payload: unknown, signer: FarmJobSigner): Promise<SignedFarmJob> {
  const header = signer.lease
    ? { alg: 'EdDSA', typ: FARM_JOB_TYPE }
    : { alg: 'EdDSA', typ: FARM_JOB_TYPE, jwk: publicJwk(signer.key) };
  const jws = await new CompactSign(new TextEncoder().encode(JSON.stringify(payload)))
    .setProtectedHeader(header)
    .sign(signer.key);
  return { jws, ...(signer.lease ? { lease: signer.lease } : {}) };
}

function publicJwk(key: KeyObject) {
  const { kty, crv, x } = (key.type === 'private' ? createPublicKey(key) : key).export({ format: 'jwk' });
  return { kty: kty!, crv: crv!, x: x! };
}

/** A key for one process of an unlicensed submitter. */
export function unlicensedSigner(): FarmJobSigner {
  return { lease: null, key: generateKeyPairSync('ed25519').privateKey };
}

const UNSIGNED =
  'it is not signed. Render jobs are signed by the app that submits them: submit it again from Video Mixer Pro (vmp mix --farm or the app), not by writing to Redis.';

/**
 * Checks a job's signature and, from its lease, whether the submitter is licensed. Throws FarmJobRefusedError for
 * an unsigned or altered job; returns the signed payload (parsed JSON, still untrusted in shape) and the verdict.
 */
export async function openJob(
  data: unknown,
  trustedKeys: Jwks,
  now: number = Math.floor(Date.now() / 1000),
): Promise<{ payload: unknown; trust: JobTrust }> {
  const parsed = SignedFarmJob.safeParse(data);
  if (!parsed.success) throw new FarmJobRefusedError('FARM_JOB_UNSIGNED', `Refused this job: ${UNSIGNED}`);
  const { jws, lease } = parsed.data;
  let farmKey: string | undefined;
  let machine: string | undefined;
  if (lease) {
    let claims: Record<string, unknown>;
    try {
      claims = decodeJwt(lease);
    } catch {
      throw altered('its lease is not a lease');
    }
    if (typeof claims.fjk !== 'string' || !/^[A-Za-z0-9_-]{43}$/.test(claims.fjk)) {
      throw altered('its lease names no farm key to check the signature with');
    }
    farmKey = claims.fjk;
    machine = typeof claims.mid === 'string' ? claims.mid : undefined;
  }
  let payloadBytes: Uint8Array;
  try {
    const key = farmKey ? await importJWK({ kty: 'OKP', crv: 'Ed25519', x: farmKey }, 'EdDSA') : EmbeddedJWK;
    const verified = await compactVerify(jws, key as Parameters<typeof compactVerify>[1], { algorithms: ['EdDSA'] });
    if (verified.protectedHeader.typ !== FARM_JOB_TYPE) throw altered('it is not a render job');
    payloadBytes = verified.payload;
  } catch (error) {
    if (error instanceof FarmJobRefusedError) throw error;
    if (error instanceof errors.JWSSignatureVerificationFailed) {
      throw altered(`its signature does not match its content${farmKey ? ' and lease' : ''}`);
    }
    throw altered(`its signature cannot be read (${(error as Error).message})`);
  }
  let payload: unknown;
  try {
    payload = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(payloadBytes));
  } catch {
    throw new FarmJobRefusedError('FARM_JOB_INVALID', 'Refused this job: its content is not JSON.');
  }
  if (!lease) return { payload, trust: { licensed: false, why: 'the submitting machine is not licensed' } };
  try {
    const claims: LeaseClaims = verifyLease(lease, trustedKeys, { now });
    if (!claims.feat.includes('render')) {
      return {
        payload,
        trust: { licensed: false, why: 'its licence does not include rendering', machine: claims.mid },
      };
    }
    return { payload, trust: { licensed: true, licence: claims.lic, machine: claims.mid } };
  } catch (error) {
    if (!(error instanceof LeaseInvalidError)) throw error;
    const why =
      error.reason === 'UNKNOWN_KEY' || error.reason === 'BAD_SIGNATURE'
        ? 'its lease is not signed by a licensing server this worker trusts (see --trust-keys in the README)'
        : `its lease cannot be used (${error.message})`;
    return { payload, trust: { licensed: false, why, ...(machine ? { machine } : {}) } };
  }
}

function altered(why: string): FarmJobRefusedError {
  return new FarmJobRefusedError(
    'FARM_JOB_ALTERED',
    `Refused this job: ${why}. It was changed after the submitting app signed it (or forged): submit it again from the app.`,
  );
}
