import { join } from 'node:path';
import type { ApiEvent, CreditsStatus, LicenseStatus } from '@vmp/shared/api';
import { AppError } from '@vmp/shared/errors';
import type { LeaseClaims, ValidateResponse } from '@vmp/shared/http';
import { type CallOptions, LicensingClient, NotActivatedError } from './client.ts';
import { checkClock, type SealedTime, sealTime } from './clock.ts';
import type { LicensingContext } from './context.ts';
import { PROBLEM_MESSAGES } from './errors.ts';
import { machineFingerprint } from './fingerprint.ts';
import { LeaseInvalidError, verifyLease } from './lease.ts';
import { CreditLedger } from './ledger.ts';
import { type JobPayment, JobPayments, type LicensingJobsPort } from './payments.ts';
import { scheduleLicensing } from './schedule.ts';
import { chooseSecretBox, type SafeStorageLike, type SecretBox } from './secret-box.ts';
import { BUILT_IN_SERVER_KEYS, type KeyTrust, keyTrust, trustedKeys } from './server-keys.ts';
import {
  type CreditsCache,
  creditsStatus,
  isForgotten,
  isTransient,
  licenseStatus,
  type Problem,
  refusalProblem,
} from './status.ts';
import { SealedLicenseStore, type LicenseState as StoredState } from './store.ts';
import { UsageSync } from './usage-sync.ts';

export type { JobPayment, LicensingJobsPort } from './payments.ts';

/** One lease (activation and issue time): what a reservation took from its allowance counts against it only. */
const leaseKey = (claims: LeaseClaims) => `${claims.sub}:${claims.iat}`;

export const DEFAULT_SERVER_URL = 'http://127.0.0.1:8787';
/** The most a user action (starting a job, retrying outputs) waits for the server before offline rules apply. */
export const ACTION_BUDGET_MS = 5000;

export interface LicensingOptions {
  dataDir: string;
  appVersion: string;
  env?: NodeJS.ProcessEnv;
  /** Overrides the fingerprint (tests that play two machines on one host). */
  machineId?: string;
  safeStorage?: SafeStorageLike;
  secretBox?: SecretBox;
  emit?: (event: ApiEvent) => void;
  now?: () => number;
  /** Heartbeat interval (default 4 h; VMP_HEARTBEAT_MS). */
  heartbeatMs?: number;
  /** How often pending usage and commits are retried, and an offline app looks for the server (default 20 s). */
  tickMs?: number;
  timeoutMs?: number;
  retries?: number;
  /** Whole budget of the server calls a user action waits on, retries included (default ACTION_BUDGET_MS). */
  actionBudgetMs?: number;
  /** Timers and the start-up heartbeat (the app and host); the CLI runs one command and exits. */
  background?: boolean;
}

/**
 * Licensing, credits and the offline ledger of one data folder, shared by the app, the browser host and `vmp`.
 * Every getter answers from what is stored; network calls run in the background (heartbeat, usage upload) or in
 * the few actions that must wait for the server (activate, deactivate, reserving a job).
 *
 * This class owns the activation and its state; usage upload (usage-sync.ts), job payments (payments.ts) and the
 * timers (schedule.ts) are parts it composes.
 */
export class Licensing {
  readonly ledger: CreditLedger;
  client!: LicensingClient;
  private storedState: StoredState = {};
  private online: boolean | null = null;
  private stopTimers: (() => void) | null = null;
  private closed = false;
  private readonly sync: UsageSync;
  private readonly payments: JobPayments;
  private trust: KeyTrust = { mode: 'built-in', jwks: BUILT_IN_SERVER_KEYS };

  private constructor(
    private readonly options: LicensingOptions,
    private readonly store: SealedLicenseStore,
    readonly machineId: string,
    readonly secretBox: SecretBox,
  ) {
    this.ledger = new CreditLedger(join(options.dataDir, 'licensing.sqlite'));
    const ctx = this.context();
    this.sync = new UsageSync(ctx);
    this.payments = new JobPayments(ctx, this.sync, options.actionBudgetMs ?? ACTION_BUDGET_MS);
  }

  static async open(options: LicensingOptions): Promise<Licensing> {
    const env = options.env ?? process.env;
    const box = options.secretBox ?? (await chooseSecretBox({ safeStorage: options.safeStorage, env }));
    const machineId = options.machineId ?? env.VMP_MACHINE_ID ?? (await machineFingerprint('video-mixer-pro/v1'));
    const store = new SealedLicenseStore(join(options.dataDir, 'license.json'), box);
    const licensing = new Licensing(options, store, machineId, box);
    try {
      licensing.trust = keyTrust(env);
    } catch (error) {
      // A bad VMP_TRUST_SERVER_KEYS: the built-in keys only, and the user is told why a self-hosted lease fails.
      licensing.setProblem({ code: (error as AppError).code, message: (error as Error).message });
    }
    try {
      licensing.stored = await store.load();
    } catch (error) {
      // A sealed secret this account cannot open (copied data folder): keep the rest, the machine must re-activate.
      licensing.setProblem({ code: 'SECRET_UNAVAILABLE', message: (error as Error).message });
      licensing.stored = {};
    }
    licensing.client = licensing.makeClient();
    if (options.background !== false) {
      licensing.stopTimers = scheduleLicensing(
        { env, heartbeatMs: options.heartbeatMs, tickMs: options.tickMs },
        {
          heartbeat: () => licensing.heartbeat(),
          flushDue: () => licensing.sync.due(),
          flush: () => licensing.flush(),
        },
      );
    }
    return licensing;
  }

  private get stored(): StoredState {
    return this.storedState;
  }

  /** The activation as stored; usage entries are chained under its id and secret (usage-chain.ts). */
  private set stored(state: StoredState) {
    this.storedState = state;
    const { activationId, machineSecret } = state;
    this.ledger.chainKey = activationId && machineSecret ? { activationId, secret: machineSecret } : null;
  }

  /**
   * Credits this machine may still use offline: its lease's offline limit (an allowance the server holds) less
   * the usage chain's total, what reservations took from the allowance since this lease, and what open offline jobs
   * may still use. Zero with a message when the chain was altered or the lease grants nothing.
   */
  offlineRoom(): { room: number; message?: string } {
    const { claims } = this.lease();
    if (!claims) return { room: 0, message: 'No valid lease.' };
    const chain = this.ledger.chain();
    if (!chain.intact) {
      return {
        room: 0,
        message:
          "This machine's record of credits used offline was altered, so nothing renders without a watermark offline. Connect to the licensing server (the server charges what is missing), or activate again.",
      };
    }
    if (chain.total < (claims.rep ?? 0)) {
      return {
        room: 0,
        message:
          "This machine's record of credits used offline is shorter than what it already reported, so nothing renders without a watermark offline. Connect to the licensing server, or activate again.",
      };
    }
    const drawn = this.ledger.get<{ lease: string; amount: number }>('allowance.drawn');
    const taken = drawn && drawn.lease === leaseKey(claims) ? drawn.amount : 0;
    return { room: Math.max(0, (claims.ocl ?? 0) - chain.total - taken - this.ledger.offlineCommitted()) };
  }

  /** A reservation took `amount` from this machine's allowance: the current lease's offline limit is lower by it. */
  allowanceDrawn(amount: number): void {
    const { claims } = this.lease();
    if (!claims || amount <= 0) return;
    const key = leaseKey(claims);
    const drawn = this.ledger.get<{ lease: string; amount: number }>('allowance.drawn');
    this.ledger.set('allowance.drawn', { lease: key, amount: (drawn?.lease === key ? drawn.amount : 0) + amount });
  }

  /** The view of this object the parts work on (live: every read sees the current state). */
  private context(): LicensingContext {
    const self = this;
    return {
      get ledger() {
        return self.ledger;
      },
      get client() {
        return self.client;
      },
      get stored() {
        return self.stored;
      },
      get closed() {
        return self.closed;
      },
      get online() {
        return self.online;
      },
      now: () => this.now(),
      setOnline: (online) => this.setOnline(online),
      changed: () => this.changed(),
      refused: (error) => this.refused(error),
      isLicensed: () => this.isLicensed(),
      credits: () => this.credits(),
      offlineRoom: () => this.offlineRoom(),
      allowanceDrawn: (amount) => this.allowanceDrawn(amount),
      creditsUpdated: () => this.emit({ type: 'credits.updated', credits: this.credits() }),
    };
  }

  private get env(): NodeJS.ProcessEnv {
    return this.options.env ?? process.env;
  }

  private now(): number {
    return this.options.now ? this.options.now() : Date.now();
  }

  /** VMP_SERVER_URL, else the address set in the app, else the one activated against, else the default. */
  serverUrl(): string {
    return (
      this.env.VMP_SERVER_URL ||
      this.ledger.get<string>('serverUrl') ||
      this.stored.serverUrl ||
      DEFAULT_SERVER_URL
    ).replace(/\/+$/, '');
  }

  private makeClient(): LicensingClient {
    return new LicensingClient({
      serverUrl: this.serverUrl(),
      store: this.store,
      machineId: this.machineId,
      appVersion: this.options.appVersion,
      timeoutMs: this.options.timeoutMs ?? 8000,
      retries: this.options.retries ?? 2,
      trust: this.trust,
      ...(this.options.now ? { now: this.options.now } : {}),
    });
  }

  private problem(): Problem | undefined {
    return this.ledger.get<Problem>('license.problem');
  }

  private setProblem(problem: Problem | undefined): void {
    this.ledger.set('license.problem', problem);
  }

  private emit(event: ApiEvent): void {
    this.options.emit?.(event);
  }

  private changed(): void {
    if (this.closed) return;
    this.emit({ type: 'license.updated', license: this.status() });
    this.emit({ type: 'credits.updated', credits: this.credits() });
  }

  private setOnline(online: boolean): void {
    if (this.closed) return;
    const was = this.online;
    this.online = online;
    if (online) this.ledger.set('lastSyncedAt', this.now());
    if (was !== online) this.changed();
  }

  /**
   * The lease checked without network against the trusted keys (server-keys.ts, never license.json outside `dev`),
   * at the later of the clock and the latest time seen; a clock turned back past the lease's issue time or that mark
   * is tampering (clock.ts).
   */
  private lease(): { claims?: LeaseClaims; problem?: LeaseInvalidError } {
    const { lease, machineSecret } = this.stored;
    if (!lease) return {};
    const jwks = trustedKeys(this.trust, this.stored.jwks);
    if (!jwks) return { problem: new LeaseInvalidError('UNKNOWN_KEY', 'No pinned server keys.') };
    try {
      const claims = verifyLease(lease, jwks, { machineId: this.machineId, now: 0 });
      if (!machineSecret) return { claims };
      const clock = checkClock({
        secret: machineSecret,
        now: this.now(),
        sealed: this.ledger.get<SealedTime>('clock.seen'),
        iatMs: claims.iat * 1000,
      });
      if (!clock.ok) return { problem: new LeaseInvalidError(clock.reason, clock.message) };
      if (clock.write && !this.closed) this.ledger.set('clock.seen', clock.write);
      return {
        claims: verifyLease(lease, jwks, { machineId: this.machineId, now: Math.floor(clock.now / 1000) }),
      };
    } catch (error) {
      if (error instanceof LeaseInvalidError) return { problem: error };
      throw error;
    }
  }

  status(): LicenseStatus {
    const activated = Boolean(this.stored.activationId && this.stored.machineSecret);
    return licenseStatus({
      serverUrl: this.serverUrl(),
      secretStorage: this.secretBox.kind,
      lastCheckedAt: this.ledger.get<number>('lastSyncedAt') ?? null,
      activated,
      problem: this.problem(),
      info: activated ? this.ledger.get<ValidateResponse['license']>('license.info') : undefined,
      lease: activated ? this.lease() : {},
      online: this.online,
      now: this.now(),
    });
  }

  /** Lease and machine secret while licensed: farm/trust signs render-farm jobs with a key derived from them. */
  farmSigningMaterial(): { lease: string; machineSecret: string } | null {
    const { lease, machineSecret } = this.stored;
    return lease && machineSecret && this.isLicensed() ? { lease, machineSecret } : null;
  }

  isLicensed(): boolean {
    const { state } = this.status();
    return state === 'active' || state === 'offline-grace';
  }

  credits(): CreditsStatus {
    if (this.closed) throw new AppError('CLOSED', 'The app is shutting down.', { status: 503 });
    return creditsStatus({
      cache: this.ledger.get<CreditsCache>('credits.cache'),
      pendingUsage: this.ledger.pendingUsage(),
      online: this.online,
      lastSyncedAt: this.ledger.get<number>('lastSyncedAt') ?? null,
      licensed: this.isLicensed(),
    });
  }

  /** Remember a server refusal or lease problem so it survives restarts (until the next good heartbeat). */
  private async refused(error: AppError): Promise<void> {
    if (isForgotten(error)) {
      // The server no longer knows this activation (seat freed elsewhere): start over.
      await this.client.forget();
      this.stored = await this.client.stored();
      this.setProblem({ code: 'DEACTIVATED', message: PROBLEM_MESSAGES.DEACTIVATED! });
    } else {
      this.setProblem(refusalProblem(error));
    }
    this.changed();
  }

  /** Heartbeat: a fresh lease and the license's standing; never throws. */
  async heartbeat(): Promise<LicenseStatus> {
    if (!this.stored.activationId) return this.status();
    try {
      const { license } = await this.client.heartbeat(this.ledger.chainHead());
      if (this.closed) return { state: 'unlicensed', serverUrl: this.client.serverUrl };
      this.stored = await this.client.stored();
      this.ledger.set('license.info', license);
      // The server took this machine's signed request, so its clock is within minutes of the server's: a mark
      // set by a clock that once ran ahead is corrected here.
      if (this.stored.machineSecret) this.ledger.set('clock.seen', sealTime(this.stored.machineSecret, this.now()));
      this.setProblem(undefined);
      this.setOnline(true);
      this.changed();
      await this.flush();
    } catch (error) {
      if (this.closed) return { state: 'unlicensed', serverUrl: this.client.serverUrl };
      if (isTransient(error)) this.setOnline(false);
      else if (error instanceof AppError && !(error instanceof NotActivatedError)) await this.refused(error);
    }
    return this.status();
  }

  async activate(licenseKey: string): Promise<LicenseStatus> {
    // A retried activation is fine: the server keys activations on machineId.
    await this.client.activate(licenseKey);
    this.stored = await this.client.stored();
    this.ledger.set('serverUrl', this.client.serverUrl);
    this.setProblem(undefined);
    this.setOnline(true);
    await this.heartbeat();
    return this.status();
  }

  async deactivate(): Promise<LicenseStatus> {
    if (!this.stored.activationId) return this.status();
    await this.flush();
    const pending = this.ledger.pendingUsage();
    if (pending > 0) {
      throw new AppError(
        'USAGE_NOT_REPORTED',
        `${pending} credit${pending === 1 ? '' : 's'} used offline are not reported yet; connect to the server, then deactivate.`,
        { status: 409, details: { pendingUsage: pending } },
      );
    }
    await this.client.deactivate();
    this.stored = await this.client.stored();
    this.ledger.set('license.info', undefined);
    this.ledger.set('credits.cache', undefined);
    this.setProblem(undefined);
    this.changed();
    return this.status();
  }

  async setServer(url: string): Promise<LicenseStatus> {
    this.ledger.set('serverUrl', url.replace(/\/+$/, ''));
    this.client = this.makeClient();
    this.online = null;
    void this.heartbeat();
    return this.status();
  }

  async checkoutUrl(pack: string): Promise<string> {
    try {
      return (await this.client.checkout(pack)).url;
    } catch (error) {
      if (error instanceof AppError && error.code === 'UNAUTHENTICATED') {
        throw new AppError(
          'CHECKOUT_UNAVAILABLE',
          'The server only sells credits to signed-in accounts: buy credits on your account page, then refresh.',
          { status: 403, cause: error },
        );
      }
      throw error;
    }
  }

  /** See JobPayments.beforeJob. */
  beforeJob(outputs: number): Promise<JobPayment> {
    return this.payments.beforeJob(outputs);
  }

  beforeRetry(jobId: string, outputs: number, waitingRetries = 0): Promise<void> {
    return this.payments.beforeRetry(jobId, outputs, waitingRetries);
  }

  chargedAsUsage(jobId: string): boolean {
    return this.payments.chargedAsUsage(jobId);
  }

  jobCreated(payment: JobPayment, jobId: string): void {
    this.payments.jobCreated(payment, jobId);
  }

  jobAbandoned(payment: JobPayment): Promise<void> {
    return this.payments.jobAbandoned(payment);
  }

  outputCompleted(outputId: string, jobId: string): void {
    this.payments.outputCompleted(outputId, jobId);
  }

  jobEnded(jobId: string): Promise<void> {
    return this.payments.jobEnded(jobId);
  }

  reconcile(port: LicensingJobsPort): Promise<void> {
    return this.payments.reconcile(port);
  }

  /** Sends what the server does not have yet (commits, offline usage) and refreshes the balance; never throws. */
  flush(): Promise<void> {
    return this.sync.flush();
  }

  /** Balance from the server into the cache; a failure keeps the last one. */
  refreshCredits(call: CallOptions = {}): Promise<CreditsStatus> {
    return this.sync.refreshCredits(call);
  }

  /** Stops the timers and closes the ledger once in-flight uploads have ended. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.stopTimers?.();
    this.stopTimers = null;
    await this.sync.idle();
    this.ledger.close();
  }
}
