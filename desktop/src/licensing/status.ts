import { CREDITS_PER_OUTPUT } from '@vmp/shared';
import type { CreditsStatus, LicenseState, LicenseStatus } from '@vmp/shared/api';
import { AppError } from '@vmp/shared/errors';
import type { LeaseClaims, ValidateResponse } from '@vmp/shared/http';
import { OfflineError } from './client.ts';
import { PROBLEM_MESSAGES } from './errors.ts';
import { LeaseInvalidError } from './lease.ts';
import type { SecretBox } from './secret-box.ts';

/** A server refusal or lease problem the user sees until the next good heartbeat. */
export interface Problem {
  code: string;
  message: string;
}

/** The last balance the server sent. */
export interface CreditsCache {
  balance: number;
  held: number;
  available: number;
}

/** Lease problems and server refusals → the state the user sees. */
const PROBLEM_STATE: Record<string, LicenseState> = {
  LICENSE_REVOKED: 'revoked',
  LICENSE_SUSPENDED: 'suspended',
};

/** Worth trying again later (no answer, server error, rate limit), as opposed to a refusal. */
export function isTransient(error: unknown): boolean {
  return error instanceof OfflineError || (error instanceof AppError && (error.status >= 500 || error.status === 429));
}

/** The server no longer knows this activation (seat freed elsewhere): the machine starts over. */
export function isForgotten(error: AppError): boolean {
  return (
    !(error instanceof LeaseInvalidError) &&
    (error.code === 'BAD_SIGNATURE' || error.code === 'UNAUTHENTICATED' || error.code === 'NOT_FOUND')
  );
}

/** The problem remembered for a refusal that is not `isForgotten`. */
export function refusalProblem(error: AppError): Problem {
  const lease = error instanceof LeaseInvalidError;
  const code = lease ? error.reason : error.code;
  const known = PROBLEM_MESSAGES[code];
  const message =
    code.startsWith('LICENSE_') && !lease
      ? `${error.message} Rendering continues unlicensed, with a watermark.`
      : lease
        ? `${known ?? error.message} Rendering continues unlicensed, with a watermark.`
        : (known ?? error.message);
  return { code, message };
}

export interface LicenseFacts {
  serverUrl: string;
  secretStorage: SecretBox['kind'];
  lastCheckedAt: number | null;
  activated: boolean;
  problem: Problem | undefined;
  info: ValidateResponse['license'] | undefined;
  lease: { claims?: LeaseClaims; problem?: LeaseInvalidError };
  online: boolean | null;
  now: number;
}

/** What the app shows about the license, from what is stored (no network). */
export function licenseStatus(facts: LicenseFacts): LicenseStatus {
  const base = { serverUrl: facts.serverUrl, secretStorage: facts.secretStorage, lastCheckedAt: facts.lastCheckedAt };
  const { problem, info } = facts;
  if (!facts.activated) {
    return { state: 'unlicensed', ...base, ...(problem ? { message: problem.message, code: problem.code } : {}) };
  }
  const { claims, problem: leaseProblem } = facts.lease;
  const details = {
    ...(claims ? { licenseType: claims.typ, leaseExpiresAt: new Date(claims.exp * 1000).toISOString() } : {}),
    ...(claims
      ? { offlineDaysLeft: Math.max(0, Math.round(((claims.exp * 1000 - facts.now) / 86_400_000) * 10) / 10) }
      : {}),
    ...(info ? { licenseType: info.type, expiresAt: info.expiresAt } : {}),
    ...(info?.seats && info.seats.max > 0 ? { seats: info.seats } : {}),
  };
  if (problem) {
    return { state: PROBLEM_STATE[problem.code] ?? 'expired', ...base, ...details, ...problem };
  }
  if (leaseProblem) {
    return {
      state: 'expired',
      ...base,
      ...details,
      code: leaseProblem.reason,
      message: `${PROBLEM_MESSAGES[leaseProblem.reason] ?? leaseProblem.message} Rendering continues unlicensed, with a watermark.`,
    };
  }
  const state: LicenseState = facts.online === false ? 'offline-grace' : 'active';
  return {
    state,
    ...base,
    ...details,
    ...(state === 'offline-grace'
      ? {
          message: `Offline: credits used now are reported when the server is reachable again (${details.offlineDaysLeft ?? 0} days left).`,
        }
      : {}),
  };
}

/** The balance the app shows: the server's last answer less what was used offline and not reported yet. */
export function creditsStatus(facts: {
  cache: CreditsCache | undefined;
  pendingUsage: number;
  online: boolean | null;
  lastSyncedAt: number | null;
  licensed: boolean;
}): CreditsStatus {
  const { cache, pendingUsage } = facts;
  return {
    balance: cache ? cache.balance : null,
    held: cache?.held ?? 0,
    available: cache ? cache.available - pendingUsage : null,
    pendingUsage,
    online: facts.online === true,
    lastSyncedAt: facts.lastSyncedAt,
    licensed: facts.licensed,
    creditsPerOutput: CREDITS_PER_OUTPUT,
  };
}
