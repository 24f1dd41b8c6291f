import type { CreditsStatus } from '@vmp/shared/api';
import type { AppError } from '@vmp/shared/errors';
import type { LicensingClient } from './client.ts';
import type { CreditLedger } from './ledger.ts';
import type { LicenseState as StoredState } from './store.ts';

/** The state the licensing parts share; `Licensing` (service.ts) owns it and hands itself to each part. */
export interface LicensingContext {
  readonly ledger: CreditLedger;
  /** Replaced when the server address changes: read it at each call. */
  readonly client: LicensingClient;
  /** The activation as sealed on disk. */
  readonly stored: StoredState;
  readonly closed: boolean;
  /** Null until the server was asked once. */
  readonly online: boolean | null;
  now(): number;
  setOnline(online: boolean): void;
  /** Tells the app the license and the balance may have changed. */
  changed(): void;
  /** Remembers a server refusal so it survives restarts. */
  refused(error: AppError): Promise<void>;
  isLicensed(): boolean;
  credits(): CreditsStatus;
  /** Credits this machine may still use offline (its lease's allowance), with why when none. */
  offlineRoom(): { room: number; message?: string };
  /** A reservation took this much of the machine's offline allowance. */
  allowanceDrawn(amount: number): void;
  creditsUpdated(): void;
}
