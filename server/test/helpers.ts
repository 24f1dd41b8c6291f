import { randomUUID } from 'node:crypto';
import type { ActivateResponse, AdminLicense, AuthResponse, LicenseType } from '@vmp/shared/http';
import { signRequest } from '@vmp/shared/signing';
import type { FastifyInstance, InjectOptions, LightMyRequestResponse } from 'fastify';
import { inject } from 'vitest';
import { buildApp } from '../src/app.ts';
import { loadConfig, type ServerConfig } from '../src/config.ts';

export const ADMIN_TOKEN = 'test-admin-token-0123456789';

export function testDatabaseUrl(): string {
  return inject('testDatabaseUrl');
}

export function testConfig(overrides: Partial<ServerConfig> = {}): ServerConfig {
  const base = loadConfig({});
  return {
    ...base,
    databaseUrl: testDatabaseUrl(),
    adminToken: ADMIN_TOKEN,
    logLevel: 'silent',
    rateLimit: {
      authPerIp: 10_000,
      loginPerEmail: 10_000,
      activatePerIp: 10_000,
      adminPerIp: 10_000,
      windowMs: 60_000,
    },
    ...overrides,
  };
}

export async function startApp(overrides: Partial<ServerConfig> = {}): Promise<FastifyInstance> {
  const app = await buildApp({ config: testConfig(overrides), logger: false });
  await app.ready();
  return app;
}

/** An app whose log lines (pino JSON) are collected, for tests that check what an operator would see. */
export async function startAppWithLog(overrides: Partial<ServerConfig> = {}) {
  const lines: Record<string, unknown>[] = [];
  const stream = { write: (line: string) => void lines.push(JSON.parse(line)) };
  const app = await buildApp({ config: testConfig(overrides), logger: { level: 'info', stream } });
  await app.ready();
  return { app, lines };
}

export function uniqueEmail(prefix = 'user'): string {
  return `${prefix}-${randomUUID()}@example.test`;
}

export interface TestUser extends AuthResponse {
  email: string;
  password: string;
}

export async function registerUser(app: FastifyInstance, email = uniqueEmail()): Promise<TestUser> {
  const password = 'correct horse battery';
  const res = await app.inject({ method: 'POST', url: '/v1/auth/register', payload: { email, password } });
  if (res.statusCode !== 201) throw new Error(`register failed: ${res.statusCode} ${res.body}`);
  return { ...(res.json() as AuthResponse), email, password };
}

export function bearer(user: { accessToken: string }) {
  return { authorization: `Bearer ${user.accessToken}` };
}

export const adminHeaders = { authorization: `Bearer ${ADMIN_TOKEN}` };

export async function createLicense(
  app: FastifyInstance,
  email: string,
  options: { type?: LicenseType; maxActivations?: number; expiresAt?: string } = {},
): Promise<AdminLicense> {
  const res = await app.inject({
    method: 'POST',
    url: '/v1/admin/licenses',
    headers: adminHeaders,
    payload: {
      email,
      type: options.type ?? 'PRO',
      maxActivations: options.maxActivations ?? 3,
      expiresAt: options.expiresAt,
    },
  });
  if (res.statusCode !== 201) throw new Error(`create license failed: ${res.statusCode} ${res.body}`);
  return res.json() as AdminLicense;
}

export async function grantCredits(app: FastifyInstance, email: string, amount: number) {
  const res = await app.inject({
    method: 'POST',
    url: '/v1/admin/credits/grants',
    headers: adminHeaders,
    payload: { email, amount, reason: 'test' },
  });
  if (res.statusCode !== 201) throw new Error(`grant failed: ${res.statusCode} ${res.body}`);
  return res.json() as { balance: number };
}

export interface SignedOptions {
  method: 'GET' | 'POST' | 'PUT' | 'DELETE';
  url: string;
  body?: unknown;
  key: string;
  activationId?: string;
  headers?: Record<string, string>;
  timestamp?: number;
  nonce?: string;
}

/** Builds an inject request signed like the desktop app signs it. */
export function signedRequest(options: SignedOptions): InjectOptions {
  const payload = options.body === undefined ? undefined : JSON.stringify(options.body);
  const signature = signRequest({
    key: options.key,
    method: options.method,
    path: options.url,
    body: payload,
    timestamp: options.timestamp,
    nonce: options.nonce,
  });
  return {
    method: options.method,
    url: options.url,
    payload,
    headers: {
      ...(payload === undefined ? {} : { 'content-type': 'application/json' }),
      ...signature,
      ...(options.activationId ? { 'x-vmp-activation': options.activationId } : {}),
      ...options.headers,
    },
  };
}

export interface Machine extends ActivateResponse {
  machineId: string;
}

export async function activate(
  app: FastifyInstance,
  licenseKey: string,
  machineId = `machine-${randomUUID()}`,
): Promise<LightMyRequestResponse & { machine: () => Machine }> {
  const res = await app.inject(
    signedRequest({
      method: 'POST',
      url: '/v1/licenses/activate',
      key: licenseKey,
      body: { licenseKey, machineId, appVersion: '1.0.0', platform: 'linux' },
    }),
  );
  return Object.assign(res, { machine: () => ({ ...(res.json() as ActivateResponse), machineId }) });
}

export async function activatedMachine(app: FastifyInstance, licenseKey: string): Promise<Machine> {
  const res = await activate(app, licenseKey);
  if (res.statusCode !== 201) throw new Error(`activate failed: ${res.statusCode} ${res.body}`);
  return res.machine();
}

/** A signed request from an activated machine. */
export function machineRequest(
  app: FastifyInstance,
  machine: Machine,
  options: Omit<SignedOptions, 'key' | 'activationId'>,
) {
  return app.inject(signedRequest({ ...options, key: machine.machineSecret, activationId: machine.activationId }));
}

/** A registered user with a license, an activated machine and optionally some credits. */
export async function userWithMachine(app: FastifyInstance, credits = 0) {
  const user = await registerUser(app);
  const license = await createLicense(app, user.email);
  const machine = await activatedMachine(app, license.licenseKey);
  if (credits) await grantCredits(app, user.email, credits);
  return { user, license, machine };
}

export function errorCode(res: LightMyRequestResponse): string | undefined {
  return (res.json() as { error?: { code?: string } }).error?.code;
}
