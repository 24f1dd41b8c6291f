import type { LicenseStatus } from '@vmp/shared/api';
import { useId, useState } from 'react';
import { render } from '../actions.ts';
import { api } from '../api/client.ts';
import { formatCount } from '../lib/format.ts';
import { useApp } from '../stores/app.ts';
import { useLicensing } from '../stores/licensing.ts';
import { attempt } from '../stores/toasts.ts';
import { useWorkspace } from '../stores/workspace.ts';
import { Icon } from './Icon.tsx';
import { Modal } from './Modal.tsx';

const STATE_LABEL: Record<LicenseStatus['state'], string> = {
  unlicensed: 'Unlicensed',
  active: 'Active',
  'offline-grace': 'Offline (grace period)',
  expired: 'Expired',
  suspended: 'Suspended',
  revoked: 'Revoked',
};

function when(ms: number | string | null | undefined): string {
  if (ms === null || ms === undefined) return 'never';
  return new Date(ms).toLocaleString();
}

/** Top bar: balance (with pending sync), sync state, and the way into License settings. */
export function LicensingBar() {
  const license = useLicensing((s) => s.license);
  const credits = useLicensing((s) => s.credits);
  const sync = useLicensing((s) => s.sync);
  const open = useLicensing((s) => s.openLicense);
  if (!license) return null;
  const licensed = license.state === 'active' || license.state === 'offline-grace';
  const balance = licensed
    ? `${credits?.balance === null || !credits ? '—' : formatCount(credits.available ?? credits.balance)} credits`
    : STATE_LABEL[license.state];
  const conflicts = sync?.conflicts.length ?? 0;
  // Offline is what the licensing client last saw (heartbeat, balance), fresher than the last sync's error.
  const offline = credits ? !credits.online : sync?.online === false;
  return (
    <div className="licensing-bar">
      {sync?.enabled ? (
        <button
          type="button"
          className={`sync-badge ${conflicts ? 'is-conflict' : sync.lastError ? 'is-error' : ''}`}
          data-testid="sync-badge"
          title={sync.lastError ? `${sync.lastError} (click to try again)` : `Last synced ${when(sync.lastSyncedAt)}`}
          onClick={() => void useLicensing.getState().syncNow()}
        >
          {sync.running
            ? 'Syncing…'
            : conflicts
              ? `${conflicts} sync conflict${conflicts === 1 ? '' : 's'}`
              : sync.lastError
                ? offline
                  ? 'Sync offline'
                  : 'Sync failed'
                : 'Synced'}
        </button>
      ) : null}
      <button
        type="button"
        className={`balance ${licensed ? '' : 'is-unlicensed'}`}
        data-testid="balance"
        data-state={license.state}
        onClick={() => open(true)}
        title="License and credits"
      >
        {balance}
        {credits?.pendingUsage ? (
          <span className="pending" data-testid="pending-sync">
            {' '}
            · {credits.pendingUsage} pending sync
          </span>
        ) : null}
      </button>
    </div>
  );
}

function ActivateForm({ autoFocus }: { autoFocus?: boolean }) {
  const [key, setKey] = useState('');
  const [error, setError] = useState<string | null>(null);
  const activating = useLicensing((s) => s.activating);
  const id = useId();
  return (
    <form
      className="license-form"
      onSubmit={async (e) => {
        e.preventDefault();
        setError(await useLicensing.getState().activate(key));
      }}
    >
      <label htmlFor={id}>License key</label>
      <div className="license-row">
        <input
          id={id}
          className="input"
          value={key}
          // biome-ignore lint/a11y/noAutofocus: the key is the only thing this dialog asks for.
          autoFocus={autoFocus}
          placeholder="VMP-XXXXX-XXXXX-XXXXX-XXXXX"
          onChange={(e) => setKey(e.target.value)}
        />
        <button type="submit" className="button primary" disabled={!key.trim() || activating}>
          {activating ? 'Activating…' : 'Activate'}
        </button>
      </div>
      {error ? (
        <p className="form-error" role="alert" data-testid="activation-error">
          {error}
        </p>
      ) : null}
    </form>
  );
}

/** Settings → License: key, state, type, expiry, seats, offline grace, server, deactivate. */
export function LicenseDialog() {
  const open = useLicensing((s) => s.licenseOpen);
  const license = useLicensing((s) => s.license);
  const credits = useLicensing((s) => s.credits);
  const [server, setServer] = useState<string | null>(null);
  if (!open || !license) return null;
  const close = () => useLicensing.getState().openLicense(false);
  const activated = license.state !== 'unlicensed';
  return (
    <Modal title="License" onClose={close} className="modal-license">
      <dl className="license-facts" data-testid="license-facts">
        <dt>State</dt>
        <dd data-testid="license-state">{STATE_LABEL[license.state]}</dd>
        {license.licenseType ? (
          <>
            <dt>Type</dt>
            <dd>{license.licenseType}</dd>
          </>
        ) : null}
        {license.expiresAt !== undefined ? (
          <>
            <dt>Expires</dt>
            <dd>{license.expiresAt ? when(license.expiresAt) : 'never'}</dd>
          </>
        ) : null}
        {license.seats ? (
          <>
            <dt>Seats</dt>
            <dd>
              {license.seats.used} of {license.seats.max}
            </dd>
          </>
        ) : null}
        {license.leaseExpiresAt ? (
          <>
            <dt>Works offline until</dt>
            <dd>
              {when(license.leaseExpiresAt)} ({license.offlineDaysLeft ?? 0} days)
            </dd>
          </>
        ) : null}
        {credits?.licensed ? (
          <>
            <dt>Credits</dt>
            <dd>
              {credits.balance ?? '—'} ({credits.held} held, {credits.pendingUsage} pending sync)
            </dd>
          </>
        ) : null}
        <dt>Server</dt>
        <dd>{license.serverUrl}</dd>
      </dl>
      {license.message ? (
        <p className={`license-message ${activated && license.state !== 'active' ? 'is-warning' : ''}`} role="status">
          {license.message}
        </p>
      ) : null}
      {license.state === 'unlicensed' ? (
        <>
          <p>Without a license every output carries a small “Video Mixer Pro — unlicensed” watermark.</p>
          <ActivateForm autoFocus />
        </>
      ) : (
        <div className="license-actions">
          {license.state !== 'active' ? <ActivateForm /> : null}
          <button type="button" className="button" onClick={() => void useLicensing.getState().buyCredits()}>
            Buy credits
          </button>
          <button type="button" className="button danger" onClick={() => void useLicensing.getState().deactivate()}>
            Deactivate this machine
          </button>
        </div>
      )}
      <form
        className="license-server"
        onSubmit={(e) => {
          e.preventDefault();
          if (server) void useLicensing.getState().setServer(server);
        }}
      >
        <label>
          Licensing server
          <input className="input" value={server ?? license.serverUrl} onChange={(e) => setServer(e.target.value)} />
        </label>
        <button type="submit" className="button small" disabled={!server || server === license.serverUrl}>
          Use this server
        </button>
      </form>
    </Modal>
  );
}

/** First run: enter a key, or skip and render with a watermark. A banner, not a modal: nothing waits on it. */
export function FirstRunPrompt() {
  const open = useLicensing((s) => s.firstRunOpen);
  if (!open) return null;
  return (
    <section className="banner first-run" aria-label="Activate Video Mixer Pro">
      <div className="first-run-text">
        <strong>Activate Video Mixer Pro.</strong> Enter your license key once; after that the app works offline too,
        and each rendered video costs one credit. Unlicensed, everything works and outputs carry a small watermark.
      </div>
      <ActivateForm />
      <button type="button" className="button small" onClick={() => useLicensing.getState().skipFirstRun()}>
        Skip — use unlicensed
      </button>
    </section>
  );
}

/** A job the balance cannot pay: render what it can pay, or buy credits. */
export function ShortfallDialog() {
  const shortfall = useLicensing((s) => s.shortfall);
  if (!shortfall) return null;
  const close = () => useLicensing.getState().setShortfall(null);
  return (
    <Modal
      title="Not enough credits"
      onClose={close}
      className="modal-small"
      footer={<ShortfallActions needed={shortfall.needed} available={shortfall.available} onDone={close} />}
    >
      <p className="modal-message" data-testid="shortfall-message">
        This job needs {shortfall.needed} credit{shortfall.needed === 1 ? '' : 's'}; {shortfall.available}{' '}
        {shortfall.available === 1 ? 'is' : 'are'} available.
      </p>
    </Modal>
  );
}

function placementsPerCombination(): number {
  return Math.max(1, useWorkspace.getState().detail?.project.settings.placements.length ?? 0);
}

/** "Render N" sets the output count to what the balance pays, then renders; "Buy credits" opens Checkout. */
export function ShortfallActions({ available, onDone }: { needed: number; available: number; onDone?: () => void }) {
  const renderAffordable = async () => {
    const screen = useApp.getState().screen;
    if (screen.name !== 'project' || available < 1) return;
    // The balance pays files; with placements each combination is one file per placement.
    const count = Math.floor(available / placementsPerCombination());
    if (count < 1) return;
    const ok = await attempt(() => api().call('projects.update', { projectId: screen.projectId, settings: { count } }));
    onDone?.();
    if (ok) await render();
  };
  return (
    <>
      {available >= placementsPerCombination() ? (
        <button type="button" className="button" onClick={() => void renderAffordable()}>
          Render {formatCount(Math.floor(available / placementsPerCombination()) * placementsPerCombination())}
        </button>
      ) : null}
      <button
        type="button"
        className="button primary"
        onClick={() => {
          onDone?.();
          void useLicensing.getState().buyCredits();
        }}
      >
        <Icon name="plus" /> Buy credits
      </button>
    </>
  );
}

/** Both sides of a sync conflict, by name and time; nothing happens until the user picks one. */
export function ConflictDialog() {
  const sync = useLicensing((s) => s.sync);
  const dismissed = useLicensing((s) => s.dismissedConflicts);
  const conflict = sync?.conflicts.find((c) => !dismissed.includes(c.projectId));
  if (!conflict) return null;
  const { resolve, dismissConflict } = useLicensing.getState();
  return (
    <Modal
      title="This project changed on two machines"
      onClose={() => dismissConflict(conflict.projectId)}
      className="modal-conflict"
      footer={
        <>
          <button type="button" className="button" onClick={() => void resolve(conflict.projectId, 'theirs')}>
            Take theirs
          </button>
          <button type="button" className="button primary" onClick={() => void resolve(conflict.projectId, 'mine')}>
            Keep mine
          </button>
        </>
      }
    >
      <p className="modal-message">Choose the version to keep; the other one is replaced everywhere.</p>
      <div className="conflict-sides" data-testid="conflict">
        <section>
          <h3>Mine (this machine)</h3>
          <p className="conflict-name">{conflict.mine.name}</p>
          <p className="muted">Modified {when(conflict.mine.modifiedAt)}</p>
        </section>
        <section>
          <h3>Theirs (other machine)</h3>
          <p className="conflict-name">{conflict.theirs.deleted ? 'Deleted' : conflict.theirs.name}</p>
          <p className="muted">
            {conflict.theirs.deleted ? 'Deleted' : 'Modified'} {when(conflict.theirs.modifiedAt)}
          </p>
        </section>
      </div>
    </Modal>
  );
}
