// `npm run bench:server`: the licensing server on loopback, for PGlite and PostgreSQL. Each database gets its
// own server process, started exactly as `npm run server` starts it. Each endpoint is measured next to
// GET /health on the same server as baseline:
// - held rate (the target): an open-loop generator sends requests evenly at --rate and times each from when it
//   was due (open-loop.ts). autocannon cannot hold a rate honestly: with `overallRate` every connection fires
//   its per-second quota back to back at the top of each second and then idles (bursts of 16 concurrent
//   requests), and it "corrects" every latency over 1 ms with synthetic samples as if a request were due every
//   millisecond per connection. Its figures at that setting are still printed, labelled bursty.
// - flat out: autocannon with 32 connections (requests/s), after every held run.
// Also printed: CPU per request of the server, PostgreSQL and the generator, from /proc (Linux).
// Options: --seconds N per run (default 10), --rate N (default 1000), --only pglite|postgres, --workers N (server
// processes on PostgreSQL, VMP_SERVER_WORKERS=N npm run server; rate limits then go through BENCH_REDIS_URL or
// TEST_REDIS_URL, default redis://127.0.0.1:6379). The server's own variables pass through, e.g.
// VMP_LEASE_REUSE_SECONDS=0 to sign a lease on every heartbeat.
// PostgreSQL: BENCH_DATABASE_URL or TEST_DATABASE_URL (default postgres://postgres:postgres@127.0.0.1:5432/postgres);
// a fresh database is created and dropped.
import { type ChildProcess, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { signRequest } from '@vmp/shared/signing';
import pg from 'pg';
import { ConnectionPool, type OpenLoopRequest, type OpenLoopResult, openLoop } from './open-loop.ts';

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
    workers: { type: 'string', default: '1' },
  },
});
const SECONDS = Number(opts.seconds);
const RATE = Number(opts.rate);
const WORKERS = Number(opts.workers);
const TARGET_P99_MS = 10;
const ADMIN = `bench-${randomBytes(8).toString('hex')}`;
const root = resolve(import.meta.dirname, '../..');

interface Server {
  child: ChildProcess;
  /** The node process to signal (npm and tsx sit in between): the server, or the primary of its workers. */
  pid: number;
  /** The node processes serving requests (the workers with --workers). */
  servingPids: number[];
  url: string;
}

function startServer(env: Record<string, string>, workers = 1): Promise<Server> {
  const child = spawn('npm', ['run', '--silent', 'server'], {
    cwd: root,
    env: {
      ...process.env,
      PORT: '0',
      HOST: '127.0.0.1',
      VMP_ADMIN_TOKEN: ADMIN,
      DATABASE_URL: '',
      VMP_SERVER_WORKERS: String(workers),
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  return new Promise((resolvePromise, reject) => {
    // Only the start-up lines are kept (for the error message); the server may log for the whole run.
    let out = '';
    let started = false;
    const onData = (chunk: Buffer) => {
      if (started) return;
      out = (out + chunk).slice(-20_000);
      const listening = [...out.matchAll(/"pid":(\d+).*"address":"(http:\/\/127\.0\.0\.1:\d+)"/g)];
      if (listening.length >= workers) {
        started = true;
        const servingPids = listening.map((m) => Number(m[1]));
        const primary = /"pid":(\d+)[^\n]*starting \d+ worker processes/.exec(out);
        const pid = workers > 1 && primary ? Number(primary[1]) : servingPids[0]!;
        resolvePromise({ child, pid, servingPids, url: listening[0]![2]! });
      }
    };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', onData);
    child.on('exit', (code) => reject(new Error(`server exited (${code}):\n${out}`)));
  });
}

async function stopServer(server: Server): Promise<void> {
  if (server.child.exitCode !== null) return;
  const exited = new Promise((r) => server.child.on('exit', r));
  try {
    process.kill(server.pid, 'SIGTERM');
  } catch {
    server.child.kill('SIGTERM');
  }
  await exited;
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

/** One endpoint; `build` makes each request (a fresh signature every time where the app signs). */
type Scenario = { name: string; build: () => OpenLoopRequest };

function scenarios(s: Awaited<ReturnType<typeof seed>>): Scenario[] {
  const validateBody = JSON.stringify({ appVersion: '1.0.0' });
  return [
    { name: 'GET /health (baseline)', build: () => ({ method: 'GET', path: '/health' }) },
    {
      name: 'POST /v1/licenses/validate (signed)',
      build: () => ({
        method: 'POST',
        path: '/v1/licenses/validate',
        body: validateBody,
        headers: {
          'content-type': 'application/json',
          'x-vmp-activation': s.activationId,
          ...signRequest({ key: s.machineSecret, method: 'POST', path: '/v1/licenses/validate', body: validateBody }),
        },
      }),
    },
    {
      name: 'GET /v1/credits (JWT)',
      build: () => ({ method: 'GET', path: '/v1/credits', headers: { authorization: `Bearer ${s.accessToken}` } }),
    },
  ];
}

function autocannonRequest(scenario: Scenario): AutocannonRequest {
  return { ...scenario.build(), setupRequest: (req) => ({ ...req, ...scenario.build() }) };
}

async function autocannonRun(url: string, scenario: Scenario, rate?: number): Promise<AutocannonResult> {
  return autocannon({
    url,
    connections: rate ? 16 : 32,
    duration: SECONDS,
    ...(rate ? { overallRate: rate } : {}),
    requests: [autocannonRequest(scenario)],
  });
}

/**
 * CPU time (user + system) of a process, ms; with `reaped`, plus that of its exited children. Linux /proc
 * only, else undefined.
 */
function processCpuMs(pid: number | string, reaped = false): number | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    // utime, stime, cutime, cstime are fields 14-17 of the stat line, in clock ticks (100 per second on Linux).
    const ticks = [11, 12, ...(reaped ? [13, 14] : [])].reduce((sum, i) => sum + Number(fields[i]), 0);
    return ticks * 10;
  } catch {
    return undefined;
  }
}

/**
 * CPU time of every PostgreSQL process (backends, WAL writer, checkpointer, autovacuum), ms. Backends that
 * exit (a pool closing idle connections) are counted through the postmaster's reaped-children time.
 */
function postgresCpuMs(): number | undefined {
  try {
    let total = 0;
    for (const pid of readdirSync('/proc')) {
      if (!/^\d+$/.test(pid)) continue;
      try {
        if (readFileSync(`/proc/${pid}/comm`, 'utf8').startsWith('postgres')) total += processCpuMs(pid, true) ?? 0;
      } catch {}
    }
    return total;
  } catch {
    return undefined;
  }
}

/** Busy and total CPU time of the whole machine, ms, from /proc/stat. */
function machineCpuMs(): { busy: number; total: number } | undefined {
  try {
    const [, ...ticks] = readFileSync('/proc/stat', 'utf8').split('\n')[0]!.trim().split(/\s+/);
    const n = ticks.slice(0, 8).map(Number);
    const total = n.reduce((a, b) => a + b, 0);
    return { busy: (total - n[3]! - n[4]!) * 10, total: total * 10 };
  } catch {
    return undefined;
  }
}

const fmt = (n: number, digits = 0) =>
  n.toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: digits });
const ms = (n: number) => `${fmt(n, n < 10 ? 1 : 0)} ms`;

/** Times the kernel took a serving process off a core while it could still run (Linux /proc), summed. */
function involuntarySwitches(pids: number[]): number | undefined {
  try {
    return pids.reduce((sum, pid) => {
      const match = /nonvoluntary_ctxt_switches:\s*(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
      return sum + Number(match?.[1] ?? Number.NaN);
    }, 0);
  } catch {
    return undefined;
  }
}

/**
 * The server's own view from /metrics (prom-client's default metrics): GC pause time and count by kind, and the
 * event-loop delay since the previous scrape (prom-client resets that histogram on every scrape). One process only.
 */
async function serverMetrics(url: string) {
  const text = await (await fetch(`${url}/metrics`)).text();
  const value = (name: string) => Number(new RegExp(`^${name} ([0-9.e+-]+)$`, 'm').exec(text)?.[1] ?? Number.NaN);
  const gc = (kind: string, what: 'sum' | 'count') =>
    value(`vmp_nodejs_gc_duration_seconds_${what}\\{kind="${kind}"\\}`);
  return {
    gcMs: {
      minor: gc('minor', 'sum') * 1000,
      major: gc('major', 'sum') * 1000,
      incremental: gc('incremental', 'sum') * 1000,
    },
    gcCount: { minor: gc('minor', 'count'), major: gc('major', 'count') },
    lagMaxMs: value('vmp_nodejs_eventloop_lag_max_seconds') * 1000,
    lagP99Ms: value('vmp_nodejs_eventloop_lag_p99_seconds') * 1000,
  };
}

interface Held {
  result: OpenLoopResult;
  /** ms of CPU per answered request: server process, PostgreSQL, generator; share of the machine's CPU. */
  cpu?: { server: number; postgres?: number; generator: number; machineBusy: number };
  /** What stalled the server during the run: descheduling per second, GC, event-loop delay (one worker only). */
  stalls?: {
    switchesPerSecond?: number;
    gc?: { minorMs: number; minorCount: number; majorMs: number; majorCount: number };
    lagMaxMs?: number;
    lagP99Ms?: number;
  };
}

async function heldRun(
  server: Server,
  scenario: Scenario,
  pool: ConnectionPool,
  kind: 'pglite' | 'postgres',
): Promise<Held> {
  const serverCpuMs = () => {
    const each = server.servingPids.map((pid) => processCpuMs(pid));
    return each.includes(undefined) ? undefined : each.reduce((a = 0, b = 0) => a + b, 0);
  };
  const single = server.servingPids.length === 1;
  const metricsBefore = single ? await serverMetrics(server.url) : undefined;
  const switchesBefore = involuntarySwitches(server.servingPids);
  const before = { server: serverCpuMs(), pg: postgresCpuMs(), machine: machineCpuMs() };
  const result = await openLoop({ url: server.url, rate: RATE, seconds: SECONDS, build: scenario.build, pool });
  const after = { server: serverCpuMs(), pg: postgresCpuMs(), machine: machineCpuMs() };
  const switchesAfter = involuntarySwitches(server.servingPids);
  const metricsAfter = single ? await serverMetrics(server.url) : undefined;
  const stalls: Held['stalls'] = {
    switchesPerSecond:
      switchesBefore === undefined || switchesAfter === undefined
        ? undefined
        : (switchesAfter - switchesBefore) / SECONDS,
    gc:
      metricsBefore && metricsAfter
        ? {
            minorMs: metricsAfter.gcMs.minor - metricsBefore.gcMs.minor,
            minorCount: metricsAfter.gcCount.minor - metricsBefore.gcCount.minor,
            majorMs:
              metricsAfter.gcMs.major +
              metricsAfter.gcMs.incremental -
              metricsBefore.gcMs.major -
              metricsBefore.gcMs.incremental,
            majorCount: metricsAfter.gcCount.major - metricsBefore.gcCount.major,
          }
        : undefined,
    lagMaxMs: metricsAfter?.lagMaxMs,
    lagP99Ms: metricsAfter?.lagP99Ms,
  };
  if (before.server === undefined || after.server === undefined || !before.machine || !after.machine) {
    return { result, stalls };
  }
  const n = Math.max(result.sent, 1);
  return {
    result,
    stalls,
    cpu: {
      server: (after.server - before.server) / n,
      postgres:
        kind === 'postgres' && before.pg !== undefined && after.pg !== undefined
          ? (after.pg - before.pg) / n
          : undefined,
      generator: result.cpuMsPerRequest,
      machineBusy: (after.machine.busy - before.machine.busy) / (after.machine.total - before.machine.total),
    },
  };
}

async function bench(label: string, env: Record<string, string>, isTarget: boolean, workers = 1): Promise<boolean> {
  const server = await startServer(env, workers);
  const kind = env.DATABASE_URL ? 'postgres' : 'pglite';
  const pool = new ConnectionPool(server.url);
  let pass = true;
  try {
    const list = scenarios(await seed(server.url));
    // Warm up JIT, connection pools, caches and the generator's sockets.
    for (const sc of list) {
      await autocannon({ url: server.url, connections: 8, duration: 2, requests: [autocannonRequest(sc)] });
      await openLoop({ url: server.url, rate: RATE, seconds: 2, build: sc.build, pool });
    }
    // Every held run first, on the warmed server: a held run right after a flat-out run would also measure
    // the aftermath of that flood (PostgreSQL autovacuum of 30,000 fresh nonces, the server's old-generation GC).
    const held: Held[] = [];
    for (const sc of list) held.push(await heldRun(server, sc, pool, kind));
    const bursty: AutocannonResult[] = [];
    const max: AutocannonResult[] = [];
    for (const sc of list) {
      bursty.push(await autocannonRun(server.url, sc, RATE));
      max.push(await autocannonRun(server.url, sc));
    }
    const pids = workers > 1 ? `${workers} workers, pids ${server.servingPids.join(', ')}` : `server pid ${server.pid}`;
    const reuse = process.env.VMP_LEASE_REUSE_SECONDS
      ? `, VMP_LEASE_REUSE_SECONDS=${process.env.VMP_LEASE_REUSE_SECONDS}`
      : '';
    console.log(`\n${label} (${server.url}, ${SECONDS} s per run, ${pids}${reuse})`);
    list.forEach((sc, i) => {
      const r = held[i]!.result;
      const cpu = held[i]!.cpu;
      const isBase = i === 0;
      const failed = r.non2xx + r.errors + r.timeouts;
      const ok = r.p99 < TARGET_P99_MS && failed === 0 && r.achievedRate >= RATE * 0.99;
      const judged = isTarget && !isBase;
      if (judged && !ok) pass = false;
      console.log(`  ${sc.name}`);
      const failures = failed
        ? `, ${failed} FAILED (non-2xx ${r.non2xx}, errors ${r.errors}, unanswered ${r.timeouts})`
        : '';
      const verdict = judged ? ` [target p99 < ${TARGET_P99_MS} ms at ${RATE} req/s: ${ok ? 'PASS' : 'FAIL'}]` : '';
      console.log(
        `    held ${RATE} req/s, open loop: ${fmt(r.achievedRate)} req/s, p50 ${ms(r.p50)}, p99 ${ms(r.p99)}, p99.9 ${ms(r.p999)}, max ${ms(r.max)}${failures} (send lag p99 ${ms(r.sendLagP99)})${verdict}`,
      );
      if (cpu) {
        const pgCpu = cpu.postgres === undefined ? '' : `, PostgreSQL ${fmt(cpu.postgres, 2)}`;
        console.log(
          `      CPU ms/req: server ${fmt(cpu.server, 2)}${pgCpu}, generator ${fmt(cpu.generator, 2)}; machine ${fmt(cpu.machineBusy * 100)}% busy`,
        );
      }
      const st = held[i]!.stalls;
      if (st) {
        const parts: string[] = [];
        if (st.switchesPerSecond !== undefined) parts.push(`descheduled ${fmt(st.switchesPerSecond)}/s`);
        if (st.gc) {
          parts.push(
            `GC minor ${fmt(st.gc.minorCount)}× ${ms(st.gc.minorMs)}, major ${fmt(st.gc.majorCount)}× ${ms(st.gc.majorMs)}`,
          );
        }
        if (st.lagMaxMs !== undefined)
          parts.push(`event-loop delay p99 ${ms(st.lagP99Ms ?? 0)}, max ${ms(st.lagMaxMs)}`);
        console.log(`      server stalls: ${parts.join('; ')}`);
      }
      const b = bursty[i]!;
      const acFailed = b.non2xx + b.errors + b.timeouts;
      console.log(
        `    autocannon overallRate ${RATE} (bursty, CO-"corrected"): ${fmt(b.requests.average)} req/s, p50 ${b.latency.p50} ms, p99 ${b.latency.p99} ms${acFailed ? `, ${acFailed} failed` : ''}`,
      );
      const m = max[i]!;
      const maxFailed = m.non2xx + m.errors + m.timeouts;
      const ratios = isBase
        ? ''
        : ` | held p99 ${fmt(r.p99 / Math.max(held[0]!.result.p99, 0.1), 1)}x baseline, throughput ${fmt(m.requests.average / max[0]!.requests.average, 2)}x baseline`;
      console.log(
        `    flat out (autocannon, 32 connections): ${fmt(m.requests.average)} req/s, p99 ${m.latency.p99} ms${maxFailed ? `, ${maxFailed} failed` : ''}${ratios}`,
      );
    });
  } finally {
    pool.close();
    await stopServer(server);
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
    const redis: Record<string, string> =
      WORKERS > 1
        ? {
            REDIS_URL: process.env.BENCH_REDIS_URL || process.env.TEST_REDIS_URL || 'redis://127.0.0.1:6379',
            VMP_REDIS_PREFIX: `${name}:`,
          }
        : {};
    ok = await bench('PostgreSQL', { DATABASE_URL: dbUrl.toString(), ...redis }, true, WORKERS);
  } finally {
    await admin.query(`drop database if exists ${name} with (force)`);
    await admin.end();
  }
}
process.exitCode = ok ? 0 : 1;
