import type { MachineIdentity } from '../context.ts';

/**
 * Everything a lease asserts (machine, license, type and so features, expiry) plus what the answer around it
 * reports (status, seats) and what signs it (issuer, TTL, key id). A lease is reused only for the same string.
 */
export function leaseFacts(machine: MachineIdentity, signer: string): string {
  const { license, seats } = machine;
  return JSON.stringify([
    machine.activationId,
    machine.machineId,
    license.id,
    license.userId,
    license.type,
    license.status,
    license.expiresAt?.getTime() ?? null,
    seats.used,
    seats.max,
    signer,
  ]);
}

export interface LeaseReuseOptions {
  /** A lease older than this is never handed out again (0: every heartbeat signs). */
  maxAgeSeconds: number;
  /** Machines remembered per process; the least recently seen go first. */
  maxEntries?: number;
  /** Clock of signing and reuse, ms. */
  now?: () => number;
}

interface Entry {
  facts: string;
  lease: string;
  /** The lease's iat, unix seconds. */
  signedAt: number;
}

/**
 * The current lease of each machine seen by this process. A heartbeat gets it back while it is younger than
 * `maxAgeSeconds` and its facts are unchanged; otherwise a fresh one is signed and remembered. Each process
 * keeps its own: another instance signs its own lease for the same facts, and both are valid.
 */
export class LeaseReuse {
  private readonly entries = new Map<string, Entry>();
  private readonly maxAgeSeconds: number;
  private readonly maxEntries: number;
  readonly now: () => number;

  constructor(options: LeaseReuseOptions) {
    this.maxAgeSeconds = options.maxAgeSeconds;
    this.maxEntries = options.maxEntries ?? 50_000;
    this.now = options.now ?? Date.now;
  }

  /** The machine's current lease for `facts`, or a fresh one from `sign` (given the signing time). */
  async lease(activationId: string, facts: string, sign: (now: Date) => Promise<string>): Promise<string> {
    const nowMs = this.now();
    const nowSeconds = Math.floor(nowMs / 1000);
    const current = this.entries.get(activationId);
    if (current && current.facts === facts) {
      const age = nowSeconds - current.signedAt;
      if (age >= 0 && age < this.maxAgeSeconds) {
        this.entries.delete(activationId);
        this.entries.set(activationId, current);
        return current.lease;
      }
    }
    const lease = await sign(new Date(nowMs));
    if (this.maxAgeSeconds > 0) {
      this.entries.delete(activationId);
      if (this.entries.size >= this.maxEntries) this.entries.delete(this.entries.keys().next().value as string);
      this.entries.set(activationId, { facts, lease, signedAt: nowSeconds });
    }
    return lease;
  }

  /** Drops a machine's lease: its license was refused or its activation is gone. */
  forget(activationId: string): void {
    this.entries.delete(activationId);
  }
}
