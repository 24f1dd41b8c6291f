import { AppError } from '@vmp/shared/errors';
import { describe, expect, it } from 'vitest';
import { OfflineError } from './client.ts';
import { LeaseInvalidError } from './lease.ts';
import { creditsStatus, isForgotten, isTransient, type LicenseFacts, licenseStatus, refusalProblem } from './status.ts';

const NOW = Date.parse('2026-06-01T00:00:00Z');
const facts = (patch: Partial<LicenseFacts> = {}): LicenseFacts => ({
  serverUrl: 'http://licensing.test',
  secretStorage: 'key-file',
  lastCheckedAt: null,
  activated: true,
  problem: undefined,
  info: undefined,
  lease: { claims: { typ: 'subscription', exp: NOW / 1000 + 2.5 * 86_400 } as never },
  online: true,
  now: NOW,
  ...patch,
});

describe('license status', () => {
  it('is active with a valid lease, offline-grace with the days left when the server is unreachable', () => {
    expect(licenseStatus(facts())).toMatchObject({ state: 'active', licenseType: 'subscription' });
    const offline = licenseStatus(facts({ online: false }));
    expect(offline).toMatchObject({ state: 'offline-grace', offlineDaysLeft: 2.5 });
    expect(offline.message).toContain('2.5 days left');
  });

  it('shows a remembered refusal as its state, and a lease problem as expired with its code', () => {
    const revoked = { code: 'LICENSE_REVOKED', message: 'revoked' };
    expect(licenseStatus(facts({ problem: revoked })).state).toBe('revoked');
    const lease = { problem: new LeaseInvalidError('WRONG_MACHINE', 'lease for m1') };
    expect(licenseStatus(facts({ lease }))).toMatchObject({ state: 'expired', code: 'WRONG_MACHINE' });
    expect(licenseStatus(facts({ activated: false, problem: revoked }))).toMatchObject({
      state: 'unlicensed',
      code: 'LICENSE_REVOKED',
    });
  });
});

describe('refusals', () => {
  it('tells transient failures from refusals, and forgotten activations from other refusals', () => {
    expect(isTransient(new OfflineError(new Error('ECONNREFUSED')))).toBe(true);
    expect(isTransient(new AppError('RATE_LIMITED', 'slow down', { status: 429 }))).toBe(true);
    expect(isTransient(new AppError('LICENSE_REVOKED', 'revoked', { status: 403 }))).toBe(false);
    expect(isForgotten(new AppError('NOT_FOUND', 'no such activation', { status: 404 }))).toBe(true);
    expect(isForgotten(new LeaseInvalidError('BAD_SIGNATURE', 'altered'))).toBe(false);
  });

  it('words a license refusal and a lease problem with the watermark consequence', () => {
    expect(refusalProblem(new AppError('LICENSE_SUSPENDED', 'Suspended by admin.', { status: 403 }))).toEqual({
      code: 'LICENSE_SUSPENDED',
      message: 'Suspended by admin. Rendering continues unlicensed, with a watermark.',
    });
    expect(refusalProblem(new LeaseInvalidError('EXPIRED', 'exp passed')).message).toMatch(
      /^The offline grace period is over.*with a watermark\.$/,
    );
    expect(refusalProblem(new AppError('STALE_REQUEST', 'clock', { status: 403 })).code).toBe('STALE_REQUEST');
  });
});

describe('credits status', () => {
  it('takes usage not yet reported off the last balance', () => {
    const cache = { balance: 100, held: 10, available: 90 };
    const s = creditsStatus({ cache, pendingUsage: 4, online: null, lastSyncedAt: null, licensed: true });
    expect(s).toMatchObject({ balance: 100, held: 10, available: 86, pendingUsage: 4, online: false });
    expect(
      creditsStatus({ cache: undefined, pendingUsage: 0, online: true, lastSyncedAt: 1, licensed: false }),
    ).toMatchObject({ balance: null, available: null });
  });
});
