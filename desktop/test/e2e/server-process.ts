import { type ChildProcess, execFile, spawn } from 'node:child_process';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { desktopDir } from './helpers.ts';

const exec = promisify(execFile);
export const repoDir = join(desktopDir, '..');
export const ADMIN_TOKEN = 'e2e-admin-token-0123456789abcdef';

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

export interface ServerProcess {
  url: string;
  port: number;
  child: ChildProcess;
  stop(): Promise<void>;
}

/** The real licensing server (`npm run server`'s entry) on embedded PGlite in `dataDir`, on a loopback port. */
export async function startServerProcess(options: { dataDir: string; port: number }): Promise<ServerProcess> {
  const child = spawn(process.execPath, ['--import', 'tsx', join(repoDir, 'server', 'src', 'main.ts')], {
    cwd: join(repoDir, 'server'),
    env: {
      ...process.env,
      DATABASE_URL: '',
      HOST: '127.0.0.1',
      PORT: String(options.port),
      VMP_SERVER_DATA: options.dataDir,
      VMP_ADMIN_TOKEN: ADMIN_TOKEN,
      LOG_LEVEL: 'warn',
      VMP_RATE_ACTIVATE_PER_IP: '10000',
      VMP_RATE_AUTH_PER_IP: '10000',
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let log = '';
  child.stderr?.on('data', (d: Buffer) => {
    log += d.toString();
  });
  child.stdout?.on('data', (d: Buffer) => {
    log += d.toString();
  });
  const exited = new Promise<void>((r) => child.once('exit', () => r()));
  const url = `http://127.0.0.1:${options.port}`;
  const deadline = Date.now() + 120_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`server exited with ${child.exitCode}:\n${log}`);
    const ok = await fetch(`${url}/health`).then(
      (r) => r.ok,
      () => false,
    );
    if (ok) break;
    if (Date.now() > deadline) throw new Error(`server did not start:\n${log}`);
    await new Promise((r) => setTimeout(r, 250));
  }
  return {
    url,
    port: options.port,
    child,
    async stop() {
      if (child.exitCode !== null || child.signalCode !== null) return;
      child.kill('SIGTERM');
      await exited;
    },
  };
}

/** `npm run server:admin -- --json ...` against the server; returns its JSON answer. */
export async function admin(serverUrl: string, args: string[]): Promise<Record<string, unknown>> {
  const { stdout } = await exec('npm', ['run', '-s', 'server:admin', '--', '--json', ...args], {
    cwd: repoDir,
    env: { ...process.env, VMP_ADMIN_TOKEN: ADMIN_TOKEN, VMP_SERVER_URL: serverUrl },
  });
  return JSON.parse(stdout.trim().split('\n').pop()!) as Record<string, unknown>;
}

/** A user (registered over HTTP) with a license from the admin CLI and `credits` granted. */
export async function customer(
  serverUrl: string,
  options: { credits?: number; maxActivations?: number } = {},
): Promise<{ email: string; licenseKey: string; accessToken: string; balance(): Promise<number> }> {
  const email = `e2e-${Date.now()}-${Math.random().toString(36).slice(2)}@example.test`;
  const password = 'correct horse battery';
  const reg = await fetch(`${serverUrl}/v1/auth/register`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ email, password }),
  });
  if (reg.status !== 201) throw new Error(`register: ${reg.status} ${await reg.text()}`);
  const license = await admin(serverUrl, [
    'create-license',
    '--email',
    email,
    '--type',
    'PRO',
    '--max-activations',
    String(options.maxActivations ?? 2),
  ]);
  if (options.credits) {
    await admin(serverUrl, ['grant-credits', '--email', email, '--amount', String(options.credits), '--reason', 'e2e']);
  }
  // Logs in once and again only when the token is refused: the server limits login attempts per address, and a
  // test polling the balance must not spend them.
  const login = async () => {
    const res = await fetch(`${serverUrl}/v1/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email, password }),
    });
    if (res.status !== 200) throw new Error(`login: ${res.status} ${await res.text()}`);
    return ((await res.json()) as { accessToken: string }).accessToken;
  };
  let accessToken = await login();
  const credits = () => fetch(`${serverUrl}/v1/credits`, { headers: { authorization: `Bearer ${accessToken}` } });
  return {
    email,
    licenseKey: String(license.licenseKey),
    accessToken,
    async balance() {
      let res = await credits();
      if (res.status === 401) {
        accessToken = await login();
        res = await credits();
      }
      if (res.status !== 200) throw new Error(`GET /v1/credits: ${res.status} ${await res.text()}`);
      return ((await res.json()) as { balance: number }).balance;
    },
  };
}
