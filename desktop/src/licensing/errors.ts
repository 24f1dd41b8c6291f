import { AppError } from '@vmp/shared/errors';

/** The job's cost is more than the credits available: nothing was queued. */
export class JobNotPayableError extends AppError {
  constructor(needed: number, available: number, what = 'This job') {
    super(
      'INSUFFICIENT_CREDITS',
      `${what} needs ${needed} credit${needed === 1 ? '' : 's'}; ${available} ${available === 1 ? 'is' : 'are'} available.`,
      { status: 402, details: { needed, available } },
    );
  }
}

/** Offline, the job costs more than this machine's lease lets it use without asking the server: nothing was queued. */
export class OfflineAllowanceError extends AppError {
  constructor(needed: number, room: number, why?: string) {
    super(
      'OFFLINE_ALLOWANCE_SPENT',
      why ??
        `The licensing server cannot be reached, and offline this machine may use ${room} more credit${room === 1 ? '' : 's'} (the allowance the server holds for it); this job needs ${needed}. Connect to the licensing server, or render fewer videos.`,
      { status: 402, details: { needed, available: room } },
    );
  }
}

/** Messages a user can act on, per server or lease problem code. */
export const PROBLEM_MESSAGES: Record<string, string> = {
  LICENSE_REVOKED: 'This license has been revoked. Rendering continues unlicensed, with a watermark.',
  LICENSE_SUSPENDED: 'This license is suspended; contact support. Rendering continues unlicensed, with a watermark.',
  LICENSE_EXPIRED: 'This license has expired; renew it to render without a watermark.',
  STALE_REQUEST:
    "This computer's clock is more than 5 minutes away from the licensing server's. Set the correct date and time; until then rendering is unlicensed, with a watermark.",
  EXPIRED: 'The offline grace period is over: connect to the internet so the license can be checked again.',
  BAD_SIGNATURE: 'The stored lease was altered and cannot be trusted. Connect to the internet, or activate again.',
  WRONG_MACHINE: 'The stored lease belongs to another machine. Activate this machine with your license key.',
  UNKNOWN_KEY:
    "The lease is not signed by a key this app trusts (wrong server?). Check the server address; a self-hosted server's keys are given with VMP_TRUST_SERVER_KEYS.",
  CLOCK_ROLLBACK:
    "This computer's clock was turned back behind a time it has already seen. Set the correct date and time, then connect to the licensing server.",
  CLOCK_TAMPERED:
    'The record of the time this machine has seen was altered. Connect to the licensing server so the license can be checked again.',
  MALFORMED: 'The stored lease is damaged. Connect to the internet, or activate again.',
  WRONG_ISSUER: 'The lease comes from another issuer. Check the server address, then activate again.',
  DEACTIVATED: "This machine's activation was removed on the server. Activate again to render without a watermark.",
};
