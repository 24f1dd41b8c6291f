// @vitest-environment happy-dom
// The top bar's sync pill and balance, and the plan header's credit count, from the licensing store.
import { cleanup, render, screen } from '@testing-library/react';
import type { CreditsStatus, LicenseStatus, SyncStatus } from '@vmp/shared/api';
import { afterEach, describe, expect, it } from 'vitest';
import { useLicensing } from '../stores/licensing.ts';
import { CreditsSummary } from './CreditsSummary.tsx';
import { LicensingBar } from './Licensing.tsx';

const license: LicenseStatus = { state: 'active', serverUrl: 'http://127.0.0.1:1' };
const credits: CreditsStatus = {
  balance: 8,
  held: 0,
  available: 8,
  pendingUsage: 0,
  online: true,
  lastSyncedAt: null,
  licensed: true,
  creditsPerOutput: 1,
};
const sync: SyncStatus = {
  enabled: true,
  online: false,
  running: false,
  lastSyncedAt: null,
  lastError: 'The server cannot be reached.',
  projects: [],
  conflicts: [],
};

afterEach(cleanup);

describe('top bar', () => {
  it('says "Sync offline" only while the server does not answer', () => {
    useLicensing.setState({ license, credits: { ...credits, online: false }, sync });
    const { rerender } = render(<LicensingBar />);
    expect(screen.getByTestId('sync-badge').textContent).toBe('Sync offline');
    // The server answers again (heartbeat, balance): the last sync's failure is no longer "offline".
    useLicensing.setState({ credits: { ...credits, online: true } });
    rerender(<LicensingBar />);
    expect(screen.getByTestId('sync-badge').textContent).not.toBe('Sync offline');
    useLicensing.setState({ sync: { ...sync, online: true, lastError: 'HTTP 500 from /v1/sync/push' } });
    rerender(<LicensingBar />);
    expect(screen.getByTestId('sync-badge').textContent).toBe('Sync failed');
    expect(screen.getByTestId('sync-badge').title).toBe('HTTP 500 from /v1/sync/push (click to try again)');
  });
});

describe('plan header', () => {
  it('counts credits for a licensed render, none for an unlicensed one (it costs nothing)', () => {
    useLicensing.setState({ license, credits });
    const { rerender } = render(<CreditsSummary cost={6} />);
    expect(screen.getByTestId('plan-cost').textContent).toBe('6 credits');
    useLicensing.setState({ license: { ...license, state: 'unlicensed' }, credits: { ...credits, licensed: false } });
    rerender(<CreditsSummary cost={6} />);
    expect(screen.getByTestId('plan-cost').textContent).toBe('free (unlicensed)');
  });
});
