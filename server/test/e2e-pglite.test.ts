import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { signRequest } from '@vmp/shared/signing';
import { createLocalJWKSet, type JSONWebKeySet, jwtVerify } from 'jose';
import { afterAll, describe, expect, it } from 'vitest';

const serverDir = fileURLToPath(new URL('..', import.meta.url));
const ADMIN = 'e2e-admin-token';
const dataDir = mkdtempSync(join(tmpdir(), 'vmp-e2e-'));
const children: ChildProcess[] = [];

afterAll(() => {
  for (const child of children) if (child.exitCode === null) child.kill('SIGKILL');
  rmSync(dataDir, { recursive: true, force: true });
});

/** Starts `src/main.ts` as `npm run server` does, with the embedded PGlite database, and waits for its address. */
function startServer(): Promise<{ child: ChildProcess; url: string }> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts'], {
    cwd: serverDir,
    env: {
      ...process.env,
      DATABASE_URL: '',
      VMP_SERVER_DATA: dataDir,
      PORT: '0',
      HOST: '127.0.0.1',
      VMP_ADMIN_TOKEN: ADMIN,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  children.push(child);
  return new Promise((resolve, reject) => {
    let out = '';
    child.stdout!.on('data', (chunk) => {
      out += chunk;
      const match = /"address":"(http:\/\/127\.0\.0\.1:\d+)"/.exec(out);
      if (match) resolve({ child, url: match[1]! });
    });
    child.stderr!.on('data', (chunk) => {
      out += chunk;
    });
    child.on('exit', (code) => reject(new Error(`server exited with ${code}: ${out}`)));
  });
}

function cli(url: string, args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/admin/cli.ts', '--server', url, ...args], {
    cwd: serverDir,
    env: { ...process.env, VMP_ADMIN_TOKEN: ADMIN },
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (c) => {
    stdout += c;
  });
  child.stderr.on('data', (c) => {
    stderr += c;
  });
  return new Promise((resolve) => child.on('exit', (code) => resolve({ code, stdout, stderr })));
}

async function signedPost(url: string, path: string, key: string, body: unknown, activationId?: string) {
  const payload = body === undefined ? undefined : JSON.stringify(body);
  const res = await fetch(url + path, {
    method: 'POST',
    headers: {
      ...(payload ? { 'content-type': 'application/json' } : {}),
      ...signRequest({ key, method: 'POST', path, body: payload }),
      ...(activationId ? { 'x-vmp-activation': activationId } : {}),
    },
    body: payload,
  });
  return { status: res.status, body: (await res.json()) as Record<string, unknown> & { error?: { code: string } } };
}

describe('npm run server with embedded PGlite', () => {
  it('registers, takes a license from the admin CLI, activates, validates, and keeps data across restarts', async () => {
    const { child, url } = await startServer();
    expect(await (await fetch(`${url}/ready`)).json()).toEqual({ status: 'ready', database: 'pglite' });
    // A second server on the same folder refuses to start instead of corrupting the database.
    await expect(startServer()).rejects.toThrow(/in use by server process/);

    const email = 'e2e@example.test';
    const reg = await fetch(`${url}/v1/auth/register`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email, password: 'e2e-password' }),
    });
    expect(reg.status).toBe(201);

    const created = await cli(url, [
      'create-license',
      '--email',
      email,
      '--type',
      'PRO',
      '--max-activations',
      '2',
      '--json',
    ]);
    expect(created.code).toBe(0);
    const license = JSON.parse(created.stdout);
    expect(license).toMatchObject({
      licenseKey: expect.stringMatching(/^VMP-/),
      licenseId: expect.any(String),
      type: 'PRO',
    });
    const human = await cli(url, ['grant-credits', '--email', email, '--amount', '25', '--reason', 'welcome']);
    expect(human.code).toBe(0);
    expect(human.stdout).toMatch(/balance now 25/);
    const missing = await cli(url, [
      'create-license',
      '--email',
      'nobody@example.test',
      '--type',
      'PRO',
      '--max-activations',
      '1',
      '--json',
    ]);
    expect(missing.code).toBe(1);
    expect(JSON.parse(missing.stdout).error.code).toBe('NOT_FOUND');

    const activation = await signedPost(url, '/v1/licenses/activate', license.licenseKey, {
      licenseKey: license.licenseKey,
      machineId: 'e2e-machine-0001',
      appVersion: '1.0.0',
      platform: 'linux',
    });
    expect(activation.status).toBe(201);
    const { activationId, machineSecret, lease } = activation.body as Record<string, string>;
    const jwks = createLocalJWKSet((await (await fetch(`${url}/.well-known/jwks.json`)).json()) as JSONWebKeySet);
    await expect(jwtVerify(lease!, jwks)).resolves.toBeTruthy();

    const validate = await signedPost(
      url,
      '/v1/licenses/validate',
      machineSecret!,
      { appVersion: '1.0.1' },
      activationId,
    );
    expect(validate.status).toBe(200);

    const suspended = await cli(url, ['suspend-license', license.licenseKey, '--json']);
    expect(JSON.parse(suspended.stdout).status).toBe('suspended');
    const refused = await signedPost(url, '/v1/licenses/validate', machineSecret!, undefined, activationId);
    expect(refused.body.error?.code).toBe('LICENSE_SUSPENDED');

    // Graceful shutdown on SIGTERM, then a restart finds everything in the data folder.
    const exited = new Promise((resolve) => child.on('exit', resolve));
    child.kill('SIGTERM');
    expect(await exited).toBe(0);
    const second = await startServer();
    const login = await fetch(`${second.url}/v1/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email, password: 'e2e-password' }),
    });
    expect(login.status).toBe(200);
    const jwks2 = createLocalJWKSet(
      (await (await fetch(`${second.url}/.well-known/jwks.json`)).json()) as JSONWebKeySet,
    );
    await expect(jwtVerify(lease!, jwks2)).resolves.toBeTruthy();
    const revoked = await cli(second.url, ['revoke-license', license.licenseKey, '--json']);
    expect(JSON.parse(revoked.stdout).status).toBe('revoked');
    second.child.kill('SIGTERM');
    await new Promise((resolve) => second.child.on('exit', resolve));
  }, 180_000);
});
