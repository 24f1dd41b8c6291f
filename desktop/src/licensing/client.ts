import { randomBytes } from 'node:crypto';
import { creditCost } from '@vmp/shared';
import { AppError } from '@vmp/shared/errors';
import {
  ActivateResponse,
  CheckoutResponse,
  CreditsResponse,
  errorFromBody,
  Jwks,
  type LeaseClaims,
  Reservation,
  type UsageEntry,
  UsageResponse,
  ValidateResponse,
} from '@vmp/shared/http';
import { reactivationProof, SIGNATURE_HEADERS, signRequest } from '@vmp/shared/signing';
import type { z } from 'zod';
import { LeaseInvalidError, verifyLease } from './lease.ts';
import { BUILT_IN_SERVER_KEYS, type KeyTrust, trustedKeys } from './server-keys.ts';
import type { LicenseState, LicenseStore } from './store.ts';

/** The server could not be reached: the app keeps working on its lease until the grace period ends. */
export class OfflineError extends AppError {
  constructor(cause: unknown) {
    super('OFFLINE', 'The licensing server cannot be reached.', { status: 503, cause });
  }
}

export class NotActivatedError extends AppError {
  constructor() {
    super('NOT_ACTIVATED', 'This machine is not activated; enter a license key.', { status: 401 });
  }
}

export interface LicensingClientOptions {
  serverUrl: string;
  store: LicenseStore;
  machineId: string;
  appVersion: string;
  platform?: string;
  fetch?: typeof fetch;
  /** Expected lease issuer. */
  issuer?: string;
  /** Per-attempt timeout, ms (default 8000). */
  timeoutMs?: number;
  /** Extra attempts after a network error, 429 or 5xx (default 2), with backoff. */
  retries?: number;
  /** Backoff before retry n (1-based), ms; default 300 · 3^(n-1). */
  backoffMs?: (attempt: number) => number;
  /** Clock in epoch ms (signing timestamps and lease expiry); default Date.now. Tests move it. */
  now?: () => number;
  /** Which lease keys are trusted (server-keys.ts); default: the built-in production key set. */
  trust?: KeyTrust;
}

export interface RequestOptions {
  method: 'GET' | 'POST' | 'PUT' | 'DELETE';
  path: string;
  body?: unknown;
  headers?: Record<string, string>;
}

/** Per call: `budgetMs` bounds the whole call, every attempt and backoff included (the UI waits on it). */
export interface CallOptions {
  budgetMs?: number;
}

export interface RawResponse {
  status: number;
  headers: Headers;
  body: unknown;
}

/**
 * Activation, signed machine requests, leases and credits for the desktop app. Plain Node (fetch), no Electron.
 * Every request after activation is signed with the machine secret, as shared/src/signing.ts specifies.
 */
export class LicensingClient {
  private readonly base: string;
  private readonly fetchImpl: typeof fetch;
  private state: LicenseState | undefined;

  constructor(private readonly options: LicensingClientOptions) {
    this.base = options.serverUrl.replace(/\/+$/, '');
    this.fetchImpl = options.fetch ?? fetch;
  }

  private async current(): Promise<LicenseState> {
    this.state ??= await this.options.store.load();
    return this.state;
  }

  private async update(patch: Partial<LicenseState>): Promise<LicenseState> {
    const next = { ...(await this.current()), ...patch };
    this.state = next;
    await this.options.store.save(next);
    return next;
  }

  get serverUrl(): string {
    return this.base;
  }

  private nowMs(): number {
    return this.options.now ? this.options.now() : Date.now();
  }

  /**
   * Sends a request (signed with `key` when given) and returns status, headers and parsed body; throws typed errors.
   * Each attempt has a timeout; network errors, 429 and 5xx are retried with backoff, signed afresh (new nonce), so
   * a retried reservation or usage upload is safe: the server keys those on jobId / entry id.
   */
  async send(
    request: RequestOptions,
    key?: string,
    activationId?: string,
    call: CallOptions = {},
  ): Promise<RawResponse> {
    const retries = this.options.retries ?? 2;
    const timeoutMs = this.options.timeoutMs ?? 8000;
    const deadline = call.budgetMs === undefined ? Infinity : performance.now() + call.budgetMs;
    for (let attempt = 0; ; attempt++) {
      try {
        const left = deadline - performance.now();
        if (left <= 0) throw new OfflineError(new Error(`no answer within ${call.budgetMs} ms`));
        return await this.sendOnce(request, key, activationId, Math.ceil(Math.min(timeoutMs, left)));
      } catch (error) {
        const transient =
          error instanceof OfflineError || (error instanceof AppError && (error.status >= 500 || error.status === 429));
        if (!transient || attempt >= retries) throw error;
        const wait = this.options.backoffMs ? this.options.backoffMs(attempt + 1) : 300 * 3 ** attempt;
        // No retry that could not even start within the budget.
        if (performance.now() + wait >= deadline) throw error;
        await new Promise((r) => setTimeout(r, wait));
      }
    }
  }

  private async sendOnce(
    request: RequestOptions,
    key: string | undefined,
    activationId: string | undefined,
    timeoutMs: number,
  ): Promise<RawResponse> {
    const payload = request.body === undefined ? undefined : JSON.stringify(request.body);
    const headers: Record<string, string> = { ...request.headers };
    if (payload !== undefined) headers['content-type'] = 'application/json';
    if (key) {
      const timestamp = Math.floor(this.nowMs() / 1000);
      Object.assign(
        headers,
        signRequest({ key, method: request.method, path: request.path, body: payload, timestamp }),
      );
    }
    if (activationId) headers[SIGNATURE_HEADERS.activation] = activationId;
    let res: Response;
    try {
      res = await this.fetchImpl(this.base + request.path, {
        method: request.method,
        headers,
        body: payload,
        signal: AbortSignal.timeout(timeoutMs),
      });
    } catch (error) {
      throw new OfflineError(error);
    }
    const text = await res.text();
    let body: unknown;
    try {
      body = text ? JSON.parse(text) : undefined;
    } catch {
      body = text;
    }
    if (!res.ok) throw errorFromBody(res.status, body);
    return { status: res.status, headers: res.headers, body };
  }

  /** A request signed with this machine's secret. */
  async machineRequest<T extends z.ZodType>(
    request: RequestOptions,
    schema?: T,
    call: CallOptions = {},
  ): Promise<z.infer<T>> {
    const raw = await this.machineRequestRaw(request, call);
    return (schema ? schema.parse(raw.body) : raw.body) as z.infer<T>;
  }

  async machineRequestRaw(request: RequestOptions, call: CallOptions = {}): Promise<RawResponse> {
    const { activationId, machineSecret } = await this.current();
    if (!activationId || !machineSecret) throw new NotActivatedError();
    return this.send(request, machineSecret, activationId, call);
  }

  async isActivated(): Promise<boolean> {
    return Boolean((await this.current()).activationId);
  }

  /** Activates this machine with a license key (signed with the key itself) and caches the JWKS for offline checks. */
  async activate(licenseKey: string): Promise<LeaseClaims> {
    const { machineSecret, machineId: storedMachine } = await this.current();
    const nonce = randomBytes(16).toString('base64url');
    const body = {
      licenseKey: licenseKey.trim(),
      machineId: this.options.machineId,
      appVersion: this.options.appVersion,
      platform: this.options.platform ?? process.platform,
      // Activating again: proof of the secret this machine holds, so the server gives the seat's secret back.
      ...(machineSecret && storedMachine === this.options.machineId
        ? { proof: { nonce, mac: reactivationProof(machineSecret, this.options.machineId, nonce) } }
        : {}),
    };
    const res = await this.send({ method: 'POST', path: '/v1/licenses/activate', body }, body.licenseKey);
    const activation = ActivateResponse.parse(res.body);
    await this.update({
      serverUrl: this.base,
      machineId: this.options.machineId,
      activationId: activation.activationId,
      machineSecret: activation.machineSecret,
      lease: activation.lease,
    });
    // Only in `dev` trust are the server's published keys pinned; otherwise the built-in or configured set decides.
    if (this.options.trust?.mode === 'dev') await this.refreshJwks();
    return this.verifyOffline();
  }

  /** The key set leases are checked against (server-keys.ts); throws UNKNOWN_KEY when there is none. */
  async keys(): Promise<Jwks> {
    const trust = this.options.trust ?? { mode: 'built-in', jwks: BUILT_IN_SERVER_KEYS };
    const jwks = trustedKeys(trust, (await this.current()).jwks);
    if (!jwks) throw new LeaseInvalidError('UNKNOWN_KEY', 'No pinned server keys; activate this machine again.');
    return jwks;
  }

  async refreshJwks(): Promise<Jwks> {
    const res = await this.send({ method: 'GET', path: '/.well-known/jwks.json' });
    const jwks = Jwks.parse(res.body);
    await this.update({ jwks, jwksFetchedAt: new Date().toISOString() });
    return jwks;
  }

  /** Checks the stored lease without any network: signature against the JWKS pinned at activation, expiry, machine. */
  async verifyOffline(now?: number): Promise<LeaseClaims> {
    const { lease } = await this.current();
    if (!lease) throw new NotActivatedError();
    return verifyLease(lease, await this.keys(), {
      machineId: this.options.machineId,
      issuer: this.options.issuer,
      now: now ?? Math.floor(this.nowMs() / 1000),
    });
  }

  /** The stored state (lease, activation); no network. */
  async stored(): Promise<LicenseState> {
    return { ...(await this.current()) };
  }

  /**
   * Heartbeat: a fresh lease when online. The new lease must verify against the keys pinned at activation: a server
   * answering with another key is not trusted (the lease is kept out of the store and LEASE_INVALID is thrown).
   */
  async validate(): Promise<LeaseClaims> {
    return (await this.heartbeat()).claims;
  }

  /** `usage`: the head of this machine's usage chain; the server debits what it was not sent of it. */
  async heartbeat(usage?: {
    seq: number;
    total: number;
  }): Promise<{ claims: LeaseClaims; license: ValidateResponse['license'] }> {
    const res = await this.machineRequest(
      {
        method: 'POST',
        path: '/v1/licenses/validate',
        body: { appVersion: this.options.appVersion, ...(usage ? { usage } : {}) },
      },
      ValidateResponse,
    );
    const claims = verifyLease(res.lease, await this.keys(), {
      machineId: this.options.machineId,
      issuer: this.options.issuer,
      now: Math.floor(this.nowMs() / 1000),
    });
    await this.update({ lease: res.lease });
    return { claims, license: res.license };
  }

  /**
   * Whether the app may run now: validates online when possible, otherwise falls back to the stored
   * lease. Server refusals (revoked, suspended…) are final and are not masked by the lease.
   */
  async check(): Promise<{ claims: LeaseClaims; online: boolean }> {
    try {
      return { claims: await this.validate(), online: true };
    } catch (error) {
      // Unreachable or failing server: run on the lease. A refusal (4xx) is the server's final word.
      const serverTrouble = error instanceof OfflineError || (error instanceof AppError && error.status >= 500);
      if (!serverTrouble) throw error;
      return { claims: await this.verifyOffline(), online: false };
    }
  }

  async deactivate(): Promise<void> {
    await this.machineRequestRaw({ method: 'POST', path: '/v1/licenses/deactivate' });
    await this.forget();
  }

  /** Drops the activation locally (after the server freed the seat, or refused this machine for good). */
  async forget(): Promise<void> {
    await this.update({ activationId: undefined, machineSecret: undefined, lease: undefined });
  }

  checkout(pack: string) {
    return this.machineRequest({ method: 'POST', path: '/v1/payments/checkout', body: { pack } }, CheckoutResponse);
  }

  credits(call: CallOptions = {}) {
    return this.machineRequest({ method: 'GET', path: '/v1/credits' }, CreditsResponse, call);
  }

  /** Holds credits for a render job; safe to retry with the same jobId. */
  reserve(jobId: string, amount: number, call: CallOptions = {}) {
    return this.machineRequest(
      { method: 'POST', path: '/v1/credits/reservations', body: { jobId, amount } },
      Reservation,
      call,
    );
  }

  /** Holds what `outputs` rendered outputs cost, priced by the shared creditCost. */
  reserveOutputs(jobId: string, outputs: number) {
    return this.reserve(jobId, creditCost(outputs));
  }

  commit(reservationId: string, used: number) {
    return this.machineRequest(
      { method: 'POST', path: `/v1/credits/reservations/${encodeURIComponent(reservationId)}/commit`, body: { used } },
      Reservation,
    );
  }

  release(reservationId: string) {
    return this.machineRequest(
      { method: 'POST', path: `/v1/credits/reservations/${encodeURIComponent(reservationId)}/release` },
      Reservation,
    );
  }

  reportUsage(entries: UsageEntry[]) {
    return this.machineRequest({ method: 'POST', path: '/v1/credits/usage', body: { entries } }, UsageResponse);
  }
}
