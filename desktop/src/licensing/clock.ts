import { createHmac, timingSafeEqual } from 'node:crypto';

/** How far the clock may run backwards (NTP corrections, a VM resumed) before it counts as turned back. */
export const CLOCK_TOLERANCE_MS = 60 * 60 * 1000;
/** The high-water mark is written at most this often (every status read would otherwise write). */
const WRITE_EVERY_MS = 60 * 1000;

/** The latest time this machine has seen, sealed with the machine secret so an edit of the ledger shows. */
export interface SealedTime {
  at: number;
  mac: string;
}

const mac = (secret: string, at: number) => createHmac('sha256', secret).update(`vmp-clock:${at}`).digest('base64url');

export function sealTime(secret: string, at: number): SealedTime {
  return { at, mac: mac(secret, at) };
}

/** The sealed time's value, or null when its seal does not verify (edited, or from another activation). */
export function openTime(secret: string, sealed: SealedTime | undefined): number | null {
  if (!sealed || typeof sealed.at !== 'number' || typeof sealed.mac !== 'string') return null;
  const want = Buffer.from(mac(secret, sealed.at));
  const got = Buffer.from(sealed.mac);
  return want.length === got.length && timingSafeEqual(want, got) ? sealed.at : null;
}

export type ClockVerdict =
  | { ok: true; now: number; write: SealedTime | null }
  | { ok: false; reason: 'CLOCK_ROLLBACK' | 'CLOCK_TAMPERED'; message: string };

/**
 * Checks the clock against the high-water mark and the lease's issue time (`iatMs`): running backwards beyond the
 * tolerance is tampering. `now` is the later of the clock and the mark, so a small step back never extends a lease.
 * `write` is the new mark to store (null when the stored one is recent enough).
 */
export function checkClock(input: {
  secret: string;
  now: number;
  sealed: SealedTime | undefined;
  iatMs?: number;
}): ClockVerdict {
  const { secret, now, sealed, iatMs } = input;
  let mark = 0;
  if (sealed !== undefined) {
    const opened = openTime(secret, sealed);
    if (opened === null) {
      return {
        ok: false,
        reason: 'CLOCK_TAMPERED',
        message: 'The record of the time this machine has seen was altered.',
      };
    }
    mark = opened;
  }
  const floor = Math.max(mark, iatMs ?? 0);
  if (now < floor - CLOCK_TOLERANCE_MS) {
    const behind = Math.round((floor - now) / 3_600_000);
    return {
      ok: false,
      reason: 'CLOCK_ROLLBACK',
      message: `This computer's clock is ${behind} hour${behind === 1 ? '' : 's'} behind a time it has already seen.`,
    };
  }
  const effective = Math.max(now, floor);
  const write = effective - mark >= WRITE_EVERY_MS || sealed === undefined ? sealTime(secret, effective) : null;
  return { ok: true, now: effective, write };
}
