import type { CreditsStatus, LicenseStatus } from '@vmp/shared/api';
import pkg from '../../package.json' with { type: 'json' };
import { defaultDataDir } from '../core/paths.ts';
import { Licensing } from '../licensing/service.ts';
import { type CliCommand, type CliIo, EXIT_OK, parseOrUsage, UsageError } from './command.ts';

/** The licensing state of the app's data folder (VMP_DATA_DIR), for one command: no timers, short timeouts. */
export function openLicensing(dataDir = defaultDataDir()): Promise<Licensing> {
  return Licensing.open({ dataDir, appVersion: pkg.version, background: false, timeoutMs: 5000, retries: 1 });
}

function flags(args: string[]) {
  return parseOrUsage({
    args,
    allowPositionals: true,
    strict: true,
    options: { json: { type: 'boolean' }, 'data-dir': { type: 'string' } },
  });
}

function date(iso: string | null | undefined): string {
  return iso ? iso.slice(0, 10) : 'never';
}

export function describeLicense(s: LicenseStatus): string {
  const lines = [`License: ${s.state}${s.licenseType ? ` (${s.licenseType})` : ''}`];
  if (s.expiresAt !== undefined) lines.push(`Expires: ${date(s.expiresAt)}`);
  if (s.seats) lines.push(`Seats: ${s.seats.used} of ${s.seats.max}`);
  if (s.leaseExpiresAt) lines.push(`Offline until: ${s.leaseExpiresAt} (${s.offlineDaysLeft ?? 0} days)`);
  lines.push(`Server: ${s.serverUrl}`);
  if (s.secretStorage) lines.push(`Machine secret: ${s.secretStorage}`);
  if (s.message) lines.push(s.message);
  if (s.state === 'unlicensed' && !s.message) {
    lines.push('Outputs carry a watermark and cost nothing. Activate with: vmp license activate <key>');
  }
  return `${lines.join('\n')}\n`;
}

export function describeCredits(c: CreditsStatus): string {
  if (!c.licensed) return 'Unlicensed: outputs carry a watermark and cost nothing.\n';
  const lines = [
    `Balance: ${c.balance ?? 'unknown (never reached the server)'}`,
    `Held by running jobs: ${c.held}`,
    `Available: ${c.available ?? 'unknown'}`,
    `Pending sync: ${c.pendingUsage}${c.pendingUsage ? ' (used offline, reported when the server is reachable)' : ''}`,
    `Server: ${c.online ? 'reachable' : 'offline'}; last synced ${c.lastSyncedAt ? new Date(c.lastSyncedAt).toISOString() : 'never'}`,
  ];
  return `${lines.join('\n')}\n`;
}

const LICENSE_USAGE = `Usage: vmp license activate <key> | status | deactivate [--json] [--data-dir DIR]

  activate <key>  activate this machine (server: VMP_SERVER_URL, default http://127.0.0.1:8787)
  status          state, type, expiry and offline grace of this machine's license
  deactivate      free this machine's seat on the server (offline usage is reported first)

Uses the app's data folder (VMP_DATA_DIR overrides it). --json prints the status object.`;

async function withLicensing<T>(dataDir: string | undefined, fn: (l: Licensing) => Promise<T>): Promise<T> {
  const licensing = await openLicensing(dataDir);
  try {
    return await fn(licensing);
  } finally {
    await licensing.close();
  }
}

function print(io: CliIo, json: boolean, value: unknown, text: string): void {
  io.stdout.write(json ? `${JSON.stringify(value)}\n` : text);
}

export const licenseCommand: CliCommand = {
  usage: LICENSE_USAGE,
  async run(args, io) {
    const { values, positionals } = flags(args);
    const [action, key, ...rest] = positionals;
    const json = values.json === true;
    if (rest.length) throw new UsageError(`Unexpected argument "${rest[0]}".`);
    return withLicensing(values['data-dir'], async (licensing) => {
      let status: LicenseStatus;
      if (action === 'activate') {
        if (!key) throw new UsageError('Give the license key: vmp license activate <key>.');
        status = await licensing.activate(key);
      } else if (action === 'status') {
        if (key) throw new UsageError(`Unexpected argument "${key}".`);
        status = await licensing.heartbeat();
      } else if (action === 'deactivate') {
        if (key) throw new UsageError(`Unexpected argument "${key}".`);
        status = await licensing.deactivate();
      } else {
        throw new UsageError(
          action ? `Unknown action "${action}".` : 'Say what to do: activate, status or deactivate.',
        );
      }
      print(io, json, status, describeLicense(status));
      return EXIT_OK;
    });
  },
};

export const creditsCommand: CliCommand = {
  usage: `Usage: vmp credits [--json] [--data-dir DIR]

Balance, credits held by running jobs, and credits used offline that the server has not debited yet
(they are uploaded now if the server is reachable).`,
  async run(args, io) {
    const { values, positionals } = flags(args);
    if (positionals.length) throw new UsageError(`Unexpected argument "${positionals[0]}".`);
    return withLicensing(values['data-dir'], async (licensing) => {
      await licensing.heartbeat();
      const credits = await licensing.refreshCredits();
      print(io, values.json === true, credits, describeCredits(credits));
      return EXIT_OK;
    });
  },
};
