// `npm run bench:server`: autocannon on loopback against the licensing server, for PGlite and PostgreSQL.
// Each database gets its own server process (as `npm run server` runs it); each endpoint is measured at a
// held 1,000 req/s (p99 latency) and flat out (req/s), next to GET /health on the same server as baseline.
// Options: --seconds N per run (default 10), --rate N (default 1000), --only pglite|postgres.
// PostgreSQL: BENCH_DATABASE_URL or TEST_DATABASE_URL (default postgres://postgres:postgres@127.0.0.1:5432/postgres);
// a fresh database is created and dropped.
import { type ChildProcess, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { signRequest } from '@vmp/shared/signing';
import pg from 'pg';

interface AutocannonResult {
  requests: { average: number; total: number };
  latency: { p50: number; p99: number; average: number };
  non2xx: number;
  errors: number;
  timeouts: number;
}
interface AutocannonRequest {
  method: string;
  path: string;
  headers?: Record<string, string>;
  body?: string;
  setupRequest?: (req: AutocannonRequest) => AutocannonRequest;
}
type Autocannon = (options: {
  url: string;
  connections: number;
  duration: number;
  overallRate?: number;
  requests: AutocannonRequest[];
}) => Promise<AutocannonResult>;
// autocannon ships no types; the few fields used are declared above.
const autocannon = createRequire(import.meta.url)('autocannon') as Autocannon;

const { values: opts } = parseArgs({
  options: {
    seconds: { type: 'string', default: '10' },
    rate: { type: 'string', default: '1000' },
    only: { type: 'string' },
  },
});
const SECONDS = Number(opts.seconds);
const RATE = Number(opts.rate);
const TARGET_P99_MS = 10;
const ADMIN = `bench-${randomBytes(8).toString('hex')}`;
const root = resolve(import.meta.dirname, '../..');

function startServer(env: Record<string, string>): Promise<{ child: ChildProcess; url: string }> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts'], {
    cwd: join(root, 'server'),
    env: { ...process.env, PORT: '0', HOST: '127.0.0.1', VMP_ADMIN_TOKEN: ADMIN, DATABASE_URL: '', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  return new Promise((resolvePromise, reject) => {
    let out = '';
    const onData = (chunk: Buffer) => {
      out += chunk;
      const match = /"address":"(http:\/\/127\.0\.0\.1:\d+)"/.exec(out);
      if (match) resolvePromise({ child, url: match[1]! });
    };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', (chunk) => {
      out += chunk;
    });
    child.on('exit', (code) => reject(new Error(`server exited (${code}):\n${out}`)));
  });
}

async function json(url: string, init: RequestInit & { body?: string }): Promise<Record<string, unknown>> {
  const res = await fetch(url, { ...init, headers: { 'content-type': 'application/json', ...init.headers } });
  const body = (await res.json()) as Record<string, unknown>;
  if (!res.ok) throw new Error(`${init.method} ${url}: ${res.status} ${JSON.stringify(body)}`);
  return body;
}

/** A user with a license, an activated machine and some credits: what the timed requests need. */
async function seed(url: string) {
  const email = `bench-${randomBytes(4).toString('hex')}@example.test`;
  const auth = await json(`${url}/v1/auth/register`, {
    method: 'POST',
    body: JSON.stringify({ email, password: 'bench-password' }),
  });
  const admin = { authorization: `Bearer ${ADMIN}` };
  const license = await json(`${url}/v1/admin/licenses`, {
    method: 'POST',
    headers: admin,
    body: JSON.stringify({ email, type: 'PRO', maxActivations: 3 }),
  });
  await json(`${url}/v1/admin/credits/grants`, {
    method: 'POST',
    headers: admin,
    body: JSON.stringify({ email, amount: 1000, reason: 'bench' }),
  });
  const key = license.licenseKey as string;
  const body = JSON.stringify({
    licenseKey: key,
    machineId: 'bench-machine-0001',
    appVersion: '1.0.0',
    platform: 'linux',
  });
  const activation = await json(`${url}/v1/licenses/activate`, {
    method: 'POST',
    headers: signRequest({ key, method: 'POST', path: '/v1/licenses/activate', body }),
    body,
  });
  return {
    accessToken: auth.accessToken as string,
    activationId: activation.activationId as string,
    machineSecret: activation.machineSecret as string,
  };
}

type Scenario = { name: string; request: AutocannonRequest };

function scenarios(s: Awaited<ReturnType<typeof seed>>): Scenario[] {
  const validateBody = JSON.stringify({ appVersion: '1.0.0' });
  return [
    { name: 'GET /health (baseline)', request: { method: 'GET', path: '/health' } },
    {
      name: 'POST /v1/licenses/validate (signed)',
      request: {
        method: 'POST',
        path: '/v1/licenses/validate',
        body: validateBody,
        // A fresh timestamp, nonce and signature for every request, as the app sends them.
        setupRequest: (req) => ({
          ...req,
          headers: {
            'content-type': 'application/json',
            'x-vmp-activation': s.activationId,
            ...signRequest({ key: s.machineSecret, method: 'POST', path: '/v1/licenses/validate', body: validateBody }),
          },
        }),
      },
    },
    {
      name: 'GET /v1/credits (JWT)',
      request: { method: 'GET', path: '/v1/credits', headers: { authorization: `Bearer ${s.accessToken}` } },
    },
  ];
}

async function run(url: string, scenario: Scenario, rate?: number): Promise<AutocannonResult> {
  const result = await autocannon({
    url,
    connections: rate ? 16 : 32,
    duration: SECONDS,
    ...(rate ? { overallRate: rate } : {}),
    requests: [scenario.request],
  });
  const failed = result.non2xx + result.errors + result.timeouts;
  if (failed > 0) {
    console.log(`  ! ${scenario.name}: ${failed} failed requests (non-2xx ${result.non2xx}, errors ${result.errors})`);
  }
  return result;
}

/** CPU time (user + system) the server process has used, ms; Linux /proc only, else undefined. */
function serverCpuMs(pid: number | undefined): number | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    // utime and stime are fields 14 and 15 of the stat line, in clock ticks (100 per second on Linux).
    return (Number(fields[11]) + Number(fields[12])) * 10;
  } catch {
    return undefined;
  }
}

const fmt = (n: number, digits = 0) =>
  n.toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: digits });

async function bench(label: string, env: Record<string, string>, isTarget: boolean): Promise<boolean> {
  const { child, url } = await startServer(env);
  let pass = true;
  try {
    const list = scenarios(await seed(url));
    // Warm up JIT, connection pool and caches.
    for (const sc of list) await autocannon({ url, connections: 8, duration: 2, requests: [sc.request] });
    console.log(`\n${label} (${url}, ${SECONDS} s per run)`);
    let base: { held: AutocannonResult; max: AutocannonResult } | undefined;
    for (const sc of list) {
      const cpuBefore = serverCpuMs(child.pid);
      const held = await run(url, sc, RATE);
      const cpuAfter = serverCpuMs(child.pid);
      const cpuPerRequest =
        cpuBefore === undefined || cpuAfter === undefined ? undefined : (cpuAfter - cpuBefore) / held.requests.total;
      const max = await run(url, sc);
      base ??= { held, max };
      const ratios =
        base.held === held
          ? ''
          : ` | p99 ${fmt(held.latency.p99 / Math.max(base.held.latency.p99, 1), 1)}x baseline, throughput ${fmt(max.requests.average / base.max.requests.average, 2)}x baseline`;
      const ok = held.latency.p99 < TARGET_P99_MS && held.non2xx + held.errors === 0;
      const verdict =
        isTarget && base.held !== held
          ? ` [target p99 < ${TARGET_P99_MS} ms at ${RATE} req/s: ${ok ? 'PASS' : 'FAIL'}]`
          : '';
      if (isTarget && base.held !== held && !ok) pass = false;
      const cpu = cpuPerRequest === undefined ? '' : `, server CPU ${fmt(cpuPerRequest, 2)} ms/req`;
      console.log(
        `  ${sc.name.padEnd(38)} @${RATE} req/s: ${fmt(held.requests.average)} req/s, p50 ${held.latency.p50} ms, p99 ${held.latency.p99} ms${cpu} | max ${fmt(max.requests.average)} req/s${ratios}${verdict}`,
      );
    }
  } finally {
    const exited = new Promise((r) => child.on('exit', r));
    child.kill('SIGTERM');
    await exited;
  }
  return pass;
}

let ok = true;
if (opts.only !== 'postgres') {
  const dataDir = mkdtempSync(join(tmpdir(), 'vmp-bench-pglite-'));
  try {
    await bench('PGlite (embedded)', { VMP_SERVER_DATA: dataDir }, false);
  } finally {
    rmSync(dataDir, { recursive: true, force: true });
  }
}
if (opts.only !== 'pglite') {
  const adminUrl =
    process.env.BENCH_DATABASE_URL ||
    process.env.TEST_DATABASE_URL ||
    'postgres://postgres:postgres@127.0.0.1:5432/postgres';
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect().catch((error: Error) => {
    throw new Error(`PostgreSQL unreachable at ${adminUrl} (${error.message}); run bash scripts/test-deps.sh`);
  });
  const name = `vmp_bench_${randomBytes(4).toString('hex')}`;
  await admin.query(`create database ${name}`);
  try {
    const dbUrl = new URL(adminUrl);
    dbUrl.pathname = `/${name}`;
    ok = await bench('PostgreSQL', { DATABASE_URL: dbUrl.toString() }, true);
  } finally {
    await admin.query(`drop database if exists ${name} with (force)`);
    await admin.end();
  }
}
process.exitCode = ok ? 0 : 1;
