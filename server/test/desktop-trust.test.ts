import { generateKeyPairSync } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { SignJWT } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Licensing, type LicensingOptions } from '../../desktop/src/licensing/service.ts';
import { createLicense, registerUser, startApp } from './helpers.ts';

// What the app trusts offline (issue 18, items 7 and 8): the real server on loopback, real files, real SQLite.
let app: FastifyInstance;
let url: string;
const dir = mkdtempSync(join(tmpdir(), 'vmp-trust-'));
const keysFile = join(dir, 'server-jwks.json');
const opened: Licensing[] = [];
const OFFLINE = 'http://127.0.0.1:1';
const DAY = 86_400_000;

beforeAll(async () => {
  app = await startApp();
  url = await app.listen({ host: '127.0.0.1', port: 0 });
  // The operator hands the app their server's public keys (a file the app never writes).
  writeFileSync(keysFile, (await app.inject({ method: 'GET', url: '/.well-known/jwks.json' })).body);
});
afterAll(async () => {
  for (const l of opened) await l.close();
  await app.close();
  rmSync(dir, { recursive: true, force: true });
});

let n = 0;
async function open(name: string, env: Record<string, string> = {}, options: Partial<LicensingOptions> = {}) {
  const l = await Licensing.open({
    dataDir: join(dir, name),
    appVersion: '9.9.9',
    machineId: `m-trust-${name}`,
    background: false,
    retries: 0,
    timeoutMs: 2000,
    env: { VMP_SERVER_URL: url, VMP_SECRET_STORE: 'key-file', VMP_KEY_DIR: join(dir, 'keys'), ...env },
    ...options,
  });
  opened.push(l);
  return l;
}
async function close(l: Licensing) {
  await l.close();
  opened.splice(opened.indexOf(l), 1);
}
async function licenseKey() {
  const user = await registerUser(app);
  return (await createLicense(app, user.email)).licenseKey;
}

describe('lease keys come from the app, never from license.json (item 7)', () => {
  it('a lease signed with a key swapped into license.json is not trusted', async () => {
    const name = `forge-${++n}`;
    const trust = { VMP_TRUST_SERVER_KEYS: keysFile };
    const l = await open(name, trust);
    expect((await l.activate(await licenseKey())).state).toBe('active');
    await close(l);

    // The attacker's own Ed25519 key, pinned in the editable file, signing a 10-year ENTERPRISE lease.
    const file = join(dir, name, 'license.json');
    const state = JSON.parse(readFileSync(file, 'utf8'));
    const { privateKey, publicKey } = generateKeyPairSync('ed25519');
    const real = JSON.parse(Buffer.from(state.lease.split('.')[0], 'base64url').toString());
    for (const kid of ['attacker', real.kid]) {
      state.jwks = { keys: [{ ...publicKey.export({ format: 'jwk' }), kid, alg: 'EdDSA', use: 'sig' }] };
      const claims = JSON.parse(Buffer.from(state.lease.split('.')[1], 'base64url').toString());
      state.lease = await new SignJWT({ ...claims, typ: 'ENTERPRISE', exp: undefined })
        .setProtectedHeader({ alg: 'EdDSA', kid, typ: 'vmp-lease+jwt' })
        .setExpirationTime(Math.floor(Date.now() / 1000) + 3650 * 86400)
        .sign(privateKey);
      writeFileSync(file, JSON.stringify(state));
      const offline = await open(name, { ...trust, VMP_SERVER_URL: OFFLINE });
      const status = offline.status();
      expect(status.state).toBe('expired');
      expect(status.code).toBe(kid === 'attacker' ? 'UNKNOWN_KEY' : 'BAD_SIGNATURE');
      expect(offline.isLicensed()).toBe(false);
      await close(offline);
    }
  });

  it('by default only the built-in production keys count: a server with another key is not trusted', async () => {
    const l = await open(`default-${++n}`);
    await expect(l.activate(await licenseKey())).rejects.toMatchObject({
      code: 'LEASE_INVALID',
      details: { reason: 'UNKNOWN_KEY' },
    });
    expect(l.isLicensed()).toBe(false);
  });

  it('VMP_TRUST_SERVER_KEYS=dev trusts what the server publishes (development and tests)', async () => {
    const l = await open(`dev-${++n}`, { VMP_TRUST_SERVER_KEYS: 'dev' });
    expect((await l.activate(await licenseKey())).state).toBe('active');
  });
});

describe('a clock turned back does not bring a lease back (item 8)', () => {
  it('an expired lease stays expired when the clock goes back, and a clock before the lease is tampering', async () => {
    const name = `clock-${++n}`;
    const trust = { VMP_TRUST_SERVER_KEYS: keysFile };
    const l = await open(name, trust);
    await l.activate(await licenseKey());
    await close(l);

    // 15 days later, offline: the 14-day grace is over.
    const later = await open(name, { ...trust, VMP_SERVER_URL: OFFLINE }, { now: () => Date.now() + 15 * DAY });
    expect(later.status()).toMatchObject({ state: 'expired', code: 'EXPIRED' });
    await close(later);

    // The clock set back to today: still expired, and it says why.
    const back = await open(name, { ...trust, VMP_SERVER_URL: OFFLINE });
    expect(back.status()).toMatchObject({ state: 'expired', code: 'CLOCK_ROLLBACK' });
    expect(back.status().message).toMatch(/clock/i);
    expect(back.isLicensed()).toBe(false);
    await close(back);

    // 400 days back (before the lease was even signed): tampering, not "414 days left".
    const wayBack = await open(name, { ...trust, VMP_SERVER_URL: OFFLINE }, { now: () => Date.now() - 400 * DAY });
    expect(wayBack.status()).toMatchObject({ state: 'expired', code: 'CLOCK_ROLLBACK' });
    await close(wayBack);
  });

  it('a fresh activation with the clock 400 days back is refused offline too (lease iat)', async () => {
    const name = `iat-${++n}`;
    const trust = { VMP_TRUST_SERVER_KEYS: keysFile };
    const l = await open(name, trust);
    await l.activate(await licenseKey());
    await close(l);
    // The ledger's mark deleted by hand: the lease's issue time is the floor.
    const sqlite = (await import('better-sqlite3')).default;
    const db = new sqlite(join(dir, name, 'licensing.sqlite'));
    db.prepare("DELETE FROM kv WHERE key = 'clock.seen'").run();
    db.close();
    const wayBack = await open(name, { ...trust, VMP_SERVER_URL: OFFLINE }, { now: () => Date.now() - 400 * DAY });
    expect(wayBack.status()).toMatchObject({ state: 'expired', code: 'CLOCK_ROLLBACK' });
  });
});
