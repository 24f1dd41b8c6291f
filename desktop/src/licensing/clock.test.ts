import { describe, expect, it } from 'vitest';
import { CLOCK_TOLERANCE_MS, checkClock, sealTime } from './clock.ts';

const day = 86_400_000;
const t0 = Date.UTC(2026, 0, 1);

describe('checkClock', () => {
  it('keeps the later of the clock and the mark, and asks to store a newer mark', () => {
    const v = checkClock({ secret: 's', now: t0, sealed: undefined });
    expect(v).toMatchObject({ ok: true, now: t0 });
    const sealed = (v as { write: ReturnType<typeof sealTime> }).write;
    expect(checkClock({ secret: 's', now: t0 - 1000, sealed })).toMatchObject({ ok: true, now: t0, write: null });
    expect(checkClock({ secret: 's', now: t0 + day, sealed })).toMatchObject({ ok: true, now: t0 + day });
  });

  it('calls a clock turned back beyond the tolerance tampering, against the mark or the lease iat', () => {
    const sealed = sealTime('s', t0);
    expect(checkClock({ secret: 's', now: t0 - 400 * day, sealed })).toMatchObject({
      ok: false,
      reason: 'CLOCK_ROLLBACK',
    });
    expect(checkClock({ secret: 's', now: t0 - CLOCK_TOLERANCE_MS + 1000, sealed }).ok).toBe(true);
    // No mark yet (deleted): the lease's issue time is the floor.
    expect(checkClock({ secret: 's', now: t0 - 2 * day, sealed: undefined, iatMs: t0 })).toMatchObject({
      ok: false,
      reason: 'CLOCK_ROLLBACK',
    });
  });

  it('refuses a mark edited by hand or sealed with another secret', () => {
    expect(checkClock({ secret: 's', now: t0, sealed: { ...sealTime('s', t0 + day), at: t0 } })).toMatchObject({
      ok: false,
      reason: 'CLOCK_TAMPERED',
    });
    expect(checkClock({ secret: 's', now: t0, sealed: sealTime('other', t0) }).ok).toBe(false);
  });
});
