import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import { CREDITS_PER_OUTPUT, creditCost } from '@vmp/shared';
import {
  type ApiEvent,
  type CreditsStatus,
  type LicenseState,
  type LicenseStatus,
  UNLICENSED_WATERMARK,
} from '@vmp/shared/api';
import { AppError } from '@vmp/shared/errors';
import { InsufficientCreditsError, type LeaseClaims, type ValidateResponse } from '@vmp/shared/http';
import { type CallOptions, LicensingClient, NotActivatedError, OfflineError } from './client.ts';
import { JobNotPayableError, PROBLEM_MESSAGES } from './errors.ts';
import { machineFingerprint } from './fingerprint.ts';
import { LeaseInvalidError, verifyLease } from './lease.ts';
import { CreditLedger } from './ledger.ts';
import { chooseSecretBox, type SafeStorageLike, type SecretBox } from './secret-box.ts';
import { SealedLicenseStore, type LicenseState as StoredState } from './store.ts';

export const DEFAULT_SERVER_URL = 'http://127.0.0.1:8787';
const HOUR = 3_600_000;
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

interface Problem {
  code: string;
  message: string;
}

interface CreditsCache {
  balance: number;
  held: number;
  available: number;
}

/** Lease problems and server refusals → the state the user sees. */
const PROBLEM_STATE: Record<string, LicenseState> = {
  LICENSE_REVOKED: 'revoked',
  LICENSE_SUSPENDED: 'suspended',
};

export interface JobPayment {
  /** Credits are charged (active, or offline-grace). */
  licensed: boolean;
  /** Burned into every output of an unlicensed job. */
  watermark: string | null;
  mode: 'reserved' | 'offline' | 'unlicensed';
  /** The ledger key to rename to the queue's job id (see `jobCreated`). */
  key: string;
  /** Something the user should know about how the job is paid (shown as a warning). */
  notice?: string;
}

/** A hold that may have reached the server although no answer came back in time: given back at the next flush. */
interface StrayHold {
  key: string;
  amount: number;
}

/** Where the core's completed outputs and job states come from, for reconciliation at start. */
export interface LicensingJobsPort {
  /** Null when the job no longer exists. */
  job(jobId: string): { finished: boolean; completedOutputIds: string[] } | null;
}

function isTransient(error: unknown): boolean {
  return error instanceof OfflineError || (error instanceof AppError && (error.status >= 500 || error.status === 429));
}

/**
 * Licensing, credits and the offline ledger of one data folder, shared by the app, the browser host and `vmp`.
 * Every getter answers from what is stored; network calls run in the background (heartbeat, usage upload) or in
 * the few actions that must wait for the server (activate, deactivate, reserving a job).
 */
export class Licensing {
  readonly ledger: CreditLedger;
  client!: LicensingClient;
  private stored: StoredState = {};
  private online: boolean | null = null;
  private timers: NodeJS.Timeout[] = [];
  private flushing: Promise<void> | null = null;
  private closed = false;

  private constructor(
    private readonly options: LicensingOptions,
    private readonly store: SealedLicenseStore,
    readonly machineId: string,
    readonly secretBox: SecretBox,
  ) {
    this.ledger = new CreditLedger(join(options.dataDir, 'licensing.sqlite'));
  }

  static async open(options: LicensingOptions): Promise<Licensing> {
    const env = options.env ?? process.env;
    const box = options.secretBox ?? (await chooseSecretBox({ safeStorage: options.safeStorage, env }));
    const machineId = options.machineId ?? env.VMP_MACHINE_ID ?? (await machineFingerprint('video-mixer-pro/v1'));
    const store = new SealedLicenseStore(join(options.dataDir, 'license.json'), box);
    const licensing = new Licensing(options, store, machineId, box);
    try {
      licensing.stored = await store.load();
    } catch (error) {
      // A sealed secret this account cannot open (copied data folder): keep the rest, the machine must re-activate.
      licensing.setProblem({ code: 'SECRET_UNAVAILABLE', message: (error as Error).message });
      licensing.stored = {};
    }
    licensing.client = licensing.makeClient();
    if (options.background !== false) licensing.startBackground();
    return licensing;
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
    const client = new LicensingClient({
      serverUrl: this.serverUrl(),
      store: this.store,
      machineId: this.machineId,
      appVersion: this.options.appVersion,
      timeoutMs: this.options.timeoutMs ?? 8000,
      retries: this.options.retries ?? 2,
      ...(this.options.now ? { now: this.options.now } : {}),
    });
    return client;
  }

  private startBackground(): void {
    const heartbeatMs = this.options.heartbeatMs ?? (Number(this.env.VMP_HEARTBEAT_MS) || 4 * HOUR);
    const tickMs = this.options.tickMs ?? (Number(this.env.VMP_USAGE_SYNC_MS) || 20_000);
    void this.heartbeat();
    this.timers.push(setInterval(() => void this.heartbeat(), heartbeatMs));
    this.timers.push(
      setInterval(() => {
        if (
          this.online === false ||
          this.ledger.pendingUsage() > 0 ||
          this.ledger.jobs('settling').length > 0 ||
          this.strayHolds().length > 0
        )
          void this.flush();
      }, tickMs),
    );
    for (const t of this.timers) t.unref();
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

  /** The lease checked against the pinned keys, without network. */
  private lease(): { claims?: LeaseClaims; problem?: LeaseInvalidError } {
    const { lease, jwks } = this.stored;
    if (!lease) return {};
    if (!jwks) return { problem: new LeaseInvalidError('UNKNOWN_KEY', 'No pinned server keys.') };
    try {
      return {
        claims: verifyLease(lease, jwks, { machineId: this.machineId, now: Math.floor(this.now() / 1000) }),
      };
    } catch (error) {
      if (error instanceof LeaseInvalidError) return { problem: error };
      throw error;
    }
  }

  status(): LicenseStatus {
    const base = {
      serverUrl: this.serverUrl(),
      secretStorage: this.secretBox.kind,
      lastCheckedAt: this.ledger.get<number>('lastSyncedAt') ?? null,
    };
    const problem = this.problem();
    if (!this.stored.activationId || !this.stored.machineSecret) {
      return { state: 'unlicensed', ...base, ...(problem ? { message: problem.message, code: problem.code } : {}) };
    }
    const info = this.ledger.get<ValidateResponse['license']>('license.info');
    const { claims, problem: leaseProblem } = this.lease();
    const details = {
      ...(claims ? { licenseType: claims.typ, leaseExpiresAt: new Date(claims.exp * 1000).toISOString() } : {}),
      ...(claims
        ? { offlineDaysLeft: Math.max(0, Math.round(((claims.exp * 1000 - this.now()) / 86_400_000) * 10) / 10) }
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
    const state: LicenseState = this.online === false ? 'offline-grace' : 'active';
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

  isLicensed(): boolean {
    const { state } = this.status();
    return state === 'active' || state === 'offline-grace';
  }

  credits(): CreditsStatus {
    if (this.closed) throw new AppError('CLOSED', 'The app is shutting down.', { status: 503 });
    const cache = this.ledger.get<CreditsCache>('credits.cache');
    const pendingUsage = this.ledger.pendingUsage();
    return {
      balance: cache ? cache.balance : null,
      held: cache?.held ?? 0,
      available: cache ? cache.available - pendingUsage : null,
      pendingUsage,
      online: this.online === true,
      lastSyncedAt: this.ledger.get<number>('lastSyncedAt') ?? null,
      licensed: this.isLicensed(),
      creditsPerOutput: CREDITS_PER_OUTPUT,
    };
  }

  /** Remember a server refusal or lease problem so it survives restarts (until the next good heartbeat). */
  private async refused(error: AppError): Promise<void> {
    const lease = error instanceof LeaseInvalidError;
    const code = lease ? error.reason : error.code;
    if (!lease && (code === 'BAD_SIGNATURE' || code === 'UNAUTHENTICATED' || code === 'NOT_FOUND')) {
      // The server no longer knows this activation (seat freed elsewhere): start over.
      await this.client.forget();
      this.stored = await this.client.stored();
      this.setProblem({ code: 'DEACTIVATED', message: PROBLEM_MESSAGES.DEACTIVATED! });
    } else {
      const known = PROBLEM_MESSAGES[code];
      const message =
        code.startsWith('LICENSE_') && !lease
          ? `${error.message} Rendering continues unlicensed, with a watermark.`
          : lease
            ? `${known ?? error.message} Rendering continues unlicensed, with a watermark.`
            : (known ?? error.message);
      this.setProblem({ code, message });
    }
    this.changed();
  }

  /** Heartbeat: a fresh lease and the license's standing; never throws. */
  async heartbeat(): Promise<LicenseStatus> {
    if (!this.stored.activationId) return this.status();
    try {
      const { license } = await this.client.heartbeat();
      if (this.closed) return { state: 'unlicensed', serverUrl: this.client.serverUrl };
      this.stored = await this.client.stored();
      this.ledger.set('license.info', license);
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

  /**
   * Decides how a job is paid before anything is queued: a hold on the server (online), nothing (offline with a
   * valid lease: usage is recorded per output), or nothing and a watermark (unlicensed, expired, refused).
   * Throws INSUFFICIENT_CREDITS with both numbers when the hold is refused.
   */
  async beforeJob(outputs: number): Promise<JobPayment> {
    const key = `job-${randomUUID()}`;
    const cost = creditCost(outputs);
    if (!this.isLicensed()) return { licensed: false, watermark: UNLICENSED_WATERMARK, mode: 'unlicensed', key };
    // Nothing to render (every output already made): nothing to hold.
    if (cost === 0) return { licensed: true, watermark: null, mode: 'reserved', key };
    try {
      const hold = await this.client.reserve(key, cost, { budgetMs: this.actionBudget() });
      this.ledger.openJob({ jobId: key, mode: 'reserved', reservationId: hold.id, amount: cost });
      this.setOnline(true);
      void this.refreshCredits();
      return { licensed: true, watermark: null, mode: 'reserved', key };
    } catch (error) {
      if (error instanceof InsufficientCreditsError) {
        const available = Math.max(0, (error.details as { available: number }).available - this.ledger.pendingUsage());
        this.setOnline(true);
        throw new JobNotPayableError(cost, available);
      }
      if (isTransient(error)) {
        // The request may have reached a server that could not answer in time: its hold is given back later.
        this.ledger.set('strayHolds', [...this.strayHolds(), { key, amount: cost }]);
        this.setOnline(false);
        if (!this.isLicensed()) return { licensed: false, watermark: UNLICENSED_WATERMARK, mode: 'unlicensed', key };
        this.ledger.openJob({ jobId: key, mode: 'offline', reservationId: null, amount: cost });
        const notice =
          `The licensing server did not answer within ${Math.round(this.actionBudget() / 1000)} s: the job renders ` +
          `on this machine's license (offline rules); its ${cost} credit${cost === 1 ? ' is' : 's are'} reported when the server answers.`;
        return { licensed: true, watermark: null, mode: 'offline', key, notice };
      }
      if (error instanceof AppError) await this.refused(error);
      throw error;
    }
  }

  private actionBudget(): number {
    return this.options.actionBudgetMs ?? ACTION_BUDGET_MS;
  }

  private strayHolds(): StrayHold[] {
    return this.ledger.get<StrayHold[]>('strayHolds') ?? [];
  }

  /** Gives back holds a timed-out reservation may have left on the server (the same key finds the same hold). */
  private async releaseStrayHolds(): Promise<void> {
    for (const stray of this.strayHolds()) {
      try {
        const hold = await this.client.reserve(stray.key, stray.amount);
        await this.client.release(hold.id);
      } catch (error) {
        if (isTransient(error)) throw error;
        // Refused (not enough credits, another amount): nothing of ours is held under this key.
      }
      this.ledger.set(
        'strayHolds',
        this.strayHolds().filter((h) => h.key !== stray.key),
      );
    }
  }

  /**
   * Before failed or cancelled outputs of a job render again. While the job's hold is open it covers them; once
   * settled, each is charged as usage, so the available balance must cover them (and retries already waiting).
   * Offline with a valid lease they are recorded like any offline render. Throws INSUFFICIENT_CREDITS with numbers.
   */
  async beforeRetry(jobId: string, outputs: number, waitingRetries = 0): Promise<void> {
    const job = this.ledger.job(jobId);
    if (!job || outputs <= 0 || (job.mode === 'reserved' && job.state === 'open') || !this.isLicensed()) return;
    await this.refreshCredits({ budgetMs: this.actionBudget() });
    const { available, online } = this.credits();
    if (!online || available === null) return;
    const needed = creditCost(outputs);
    const left = Math.max(0, available - creditCost(waitingRetries));
    if (left < needed) {
      throw new JobNotPayableError(needed, left, `Retrying ${outputs} video${outputs === 1 ? '' : 's'}`);
    }
  }

  /** Whether an output of this job completing now is charged as usage (its hold, if any, is settled). */
  chargedAsUsage(jobId: string): boolean {
    const job = this.ledger.job(jobId);
    return Boolean(job) && !(job!.mode === 'reserved' && job!.state === 'open');
  }

  /** The queue created the job: the ledger row follows its id. */
  jobCreated(payment: JobPayment, jobId: string): void {
    if (payment.mode !== 'unlicensed') this.ledger.renameJob(payment.key, jobId);
  }

  /** The job could not be created after its hold: give the hold back. */
  async jobAbandoned(payment: JobPayment): Promise<void> {
    const job = this.ledger.job(payment.key);
    if (!job) return;
    this.ledger.beginSettle(payment.key);
    // Not awaited: the caller is a user action; the flush tick retries a release that did not get through.
    void this.settle(payment.key).catch(() => {});
  }

  /** One output of a licensed job completed: charged once, whatever calls this how often. */
  outputCompleted(outputId: string, jobId: string): void {
    if (this.closed) return;
    const job = this.ledger.job(jobId);
    if (!job || !this.ledger.recordOutput(outputId, jobId, creditCost(1))) return;
    if (job.mode === 'offline' || job.state !== 'open') this.changed();
  }

  /** The job finished (completed, failed or cancelled): commit what its completed outputs used, free the rest. */
  async jobEnded(jobId: string): Promise<void> {
    if (this.closed) return;
    const job = this.ledger.beginSettle(jobId);
    if (job?.state !== 'settling') return;
    await this.settle(jobId).catch(() => {});
    await this.refreshCredits();
    this.changed();
  }

  private async settle(jobId: string): Promise<void> {
    const job = this.ledger.job(jobId);
    if (job?.state !== 'settling' || !job.reservationId) return;
    try {
      if ((job.used ?? 0) > 0) await this.client.commit(job.reservationId, job.used ?? 0);
      else await this.client.release(job.reservationId);
      this.ledger.settled(jobId);
      this.setOnline(true);
    } catch (error) {
      const code = error instanceof AppError ? error.code : '';
      const status = (error as AppError).details as { status?: string } | undefined;
      if (code === 'RESERVATION_CLOSED' && status?.status === 'expired') {
        this.ledger.holdLost(jobId); // Reported as usage instead, same entry ids.
      } else if (code === 'RESERVATION_CLOSED' && status?.status === 'released' && (job.used ?? 0) === 0) {
        this.ledger.settled(jobId);
      } else {
        if (isTransient(error)) this.setOnline(false);
        throw error;
      }
    }
  }

  /** Sends what the server does not have yet (commits, offline usage) and refreshes the balance; never throws. */
  flush(): Promise<void> {
    this.flushing ??= this.doFlush().finally(() => {
      this.flushing = null;
    });
    return this.flushing;
  }

  private async doFlush(): Promise<void> {
    if (!this.stored.activationId || this.closed) return;
    const before = this.ledger.pendingUsage();
    try {
      for (const job of this.ledger.jobs('settling')) await this.settle(job.jobId);
      await this.releaseStrayHolds();
      for (;;) {
        const batch = this.ledger.pendingEntries(500);
        if (batch.length === 0) break;
        const res = await this.client.reportUsage(batch);
        this.ledger.markSent([...res.applied, ...res.duplicates]);
        this.setOnline(true);
      }
      await this.refreshCredits();
    } catch (error) {
      if (isTransient(error)) this.setOnline(false);
      else if (error instanceof AppError && error.status === 403) await this.refused(error);
    }
    if (!this.closed && before !== this.ledger.pendingUsage()) this.changed();
  }

  /** Balance from the server into the cache; a failure keeps the last one. */
  async refreshCredits(call: CallOptions = {}): Promise<CreditsStatus> {
    if (!this.stored.activationId) return this.credits();
    try {
      const res = await this.client.credits(call);
      if (this.closed) return this.credits();
      this.ledger.set('credits.cache', { balance: res.balance, held: res.held, available: res.available });
      this.setOnline(true);
      this.emit({ type: 'credits.updated', credits: this.credits() });
    } catch (error) {
      if (isTransient(error)) this.setOnline(false);
    }
    return this.credits();
  }

  /**
   * After a crash or restart: outputs that completed while nobody recorded them are charged now (once: rows are
   * keyed by output id), jobs that ended are settled, and holds whose job never got created are released.
   */
  async reconcile(port: LicensingJobsPort): Promise<void> {
    for (const job of this.ledger.jobs('open')) {
      const current = port.job(job.jobId);
      if (!current) {
        if (job.jobId.startsWith('job-')) {
          this.ledger.beginSettle(job.jobId);
          await this.settle(job.jobId).catch(() => {});
        }
        continue;
      }
      for (const id of current.completedOutputIds) this.ledger.recordOutput(id, job.jobId, creditCost(1));
      if (current.finished) await this.jobEnded(job.jobId);
    }
    void this.flush();
  }

  /** Stops the timers and closes the ledger once in-flight uploads have ended. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    for (const t of this.timers) clearInterval(t);
    this.timers = [];
    await this.flushing?.catch(() => {});
    this.ledger.close();
  }
}
