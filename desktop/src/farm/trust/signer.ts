import { farmJobKey } from '@vmp/shared/farm-key';
import { decodeJwt } from 'jose';
import { type FarmJobSigner, unlicensedSigner } from './envelope.ts';

/** What a licensed machine holds: its lease and the machine secret it shares with the server. */
export interface FarmSigningMaterial {
  lease: string;
  machineSecret: string;
}

/**
 * The signer of this machine's farm jobs: the licensed one when the lease vouches for the key derived from the
 * machine secret, else a self-signed unlicensed one (every worker watermarks its outputs).
 */
export function farmJobSigner(material: FarmSigningMaterial | null): FarmJobSigner {
  if (!material) return unlicensedSigner();
  const key = farmJobKey(material.machineSecret);
  let vouched: unknown;
  try {
    vouched = decodeJwt(material.lease).fjk;
  } catch {
    vouched = undefined;
  }
  // A lease from a server before farm keys (or for another secret) cannot vouch for this machine's jobs.
  if (vouched !== key.x) return unlicensedSigner();
  return { lease: material.lease, key: key.privateKey };
}
