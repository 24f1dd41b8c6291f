import { generateKeyPairSync } from 'node:crypto';
import { readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Licensing, type LicensingOptions } from '../../src/licensing/service.ts';
import { tempDir } from './helpers.ts';
import { admin, customer, freePort, type ServerProcess, startServerProcess } from './server-process.ts';

// Every way a machine can lose its license, against the real server (PGlite) on loopback: each ends in a state
// that says why, renders unlicensed (watermark) and charges nothing.
let dir: string;
let server: ServerProcess;
const opened: Licensing[] = [];

beforeAll(async () => {
  dir = await tempDir('licensing-states');
  server = await startServerProcess({ dataDir: join(dir, 'server'), port: await freePort() });
}, 180_000);

afterAll(async () => {
  for (const l of opened) await l.close();
  await server?.stop();
  if (dir) await rm(dir, { recursive: true, force: true });
});

let n = 0;
async function machine(
  name: string,
  options: Partial<LicensingOptions> & { serverUrl?: string; dataDir?: string } = {},
): Promise<Licensing> {
  const { serverUrl, dataDir, ...rest } = options;
  const l = await Licensing.open({
    dataDir: dataDir ?? join(dir, `machine-${name}-${++n}`),
    appVersion: '9.9.9',
    machineId: `m1-e2e-${name}`,
    background: false,
    timeoutMs: 3000,
    retries: 0,
    env: {
      VMP_SERVER_URL: serverUrl ?? server.url,
      VMP_TRUST_SERVER_KEYS: 'dev',
      VMP_SECRET_STORE: 'key-file',
      VMP_KEY_DIR: join(dir, 'keys'),
    },
    ...rest,
  });
  opened.push(l);
  return l;
}

async function expectNoCharge(l: Licensing, balanceBefore: number, balance: () => Promise<number>) {
  const payment = await l.beforeJob(3);
  expect(payment).toMatchObject({ licensed: false, mode: 'unlicensed', watermark: 'Video Mixer Pro — unlicensed' });
  expect(await balance()).toBe(balanceBefore);
}

describe('license states against the real server', () => {
  it('activates, then refuses a second machine past the activation limit with the server code', async () => {
    const user = await customer(server.url, { credits: 5, maxActivations: 1 });
    const first = await machine('limit-a');
    expect((await first.activate(user.licenseKey)).state).toBe('active');
    expect(first.status()).toMatchObject({ licenseType: 'PRO', secretStorage: 'key-file' });
    const second = await machine('limit-b');
    await expect(second.activate(user.licenseKey)).rejects.toMatchObject({
      code: 'ACTIVATION_LIMIT',
      message: expect.stringContaining('deactivate one first'),
    });
    expect(second.status().state).toBe('unlicensed');
    await expectNoCharge(second, 5, user.balance);
    // Deactivating the first frees the seat for the second.
    expect((await first.deactivate()).state).toBe('unlicensed');
    expect((await second.activate(user.licenseKey)).state).toBe('active');
  });

  it('takes revocation and suspension from the next heartbeat, with the server message', async () => {
    const user = await customer(server.url, { credits: 5 });
    const l = await machine('revoked');
    await l.activate(user.licenseKey);
    await admin(server.url, ['suspend-license', user.licenseKey]);
    expect(await l.heartbeat()).toMatchObject({ state: 'suspended', code: 'LICENSE_SUSPENDED' });
    await admin(server.url, ['reinstate-license', user.licenseKey]);
    expect((await l.heartbeat()).state).toBe('active');
    await admin(server.url, ['revoke-license', user.licenseKey]);
    const revoked = await l.heartbeat();
    expect(revoked).toMatchObject({ state: 'revoked', code: 'LICENSE_REVOKED' });
    expect(revoked.message).toMatch(/revoked.*watermark/);
    await expectNoCharge(l, 5, user.balance);
    // Still revoked after a restart, even offline: the refusal is remembered, not masked by the lease.
    const dataDir = join(dir, `machine-revoked-${n}`);
    const reopened = await machine('revoked', { dataDir, serverUrl: 'http://127.0.0.1:1' });
    expect(reopened.status().state).toBe('revoked');
  });

  it('refuses a lease altered by one byte, or one for another machine, or past its grace (offline)', async () => {
    const user = await customer(server.url, { credits: 5 });
    const dataDir = join(dir, 'tamper');
    const l = await machine('tamper', { dataDir });
    await l.activate(user.licenseKey);
    const exp = Date.parse(l.status().leaseExpiresAt!);
    await l.close();
    const file = join(dataDir, 'license.json');
    const good = await readFile(file, 'utf8');
    const state = JSON.parse(good) as { lease: string };
    const [h, p, s] = state.lease.split('.') as [string, string, string];
    // One byte of the payload changed: the signature no longer matches.
    const payload = Buffer.from(p, 'base64url');
    payload[payload.length - 3] = payload[payload.length - 3]! ^ 1;
    await writeFile(file, JSON.stringify({ ...state, lease: `${h}.${payload.toString('base64url')}.${s}` }));
    const offline = { dataDir, serverUrl: 'http://127.0.0.1:1' };
    const tampered = await machine('tamper', offline);
    expect(tampered.status()).toMatchObject({ state: 'expired', code: 'BAD_SIGNATURE' });
    expect(tampered.status().message).toMatch(/altered.*watermark/);
    expect((await tampered.beforeJob(2)).mode).toBe('unlicensed');
    await tampered.close();

    await writeFile(file, good);
    const other = await machine('someone-else', offline);
    expect(other.status()).toMatchObject({ state: 'expired', code: 'WRONG_MACHINE' });
    await other.close();
    const late = await machine('tamper', { ...offline, now: () => exp + 2 * 3_600_000 });
    expect(late.status()).toMatchObject({ state: 'expired', code: 'EXPIRED' });
    expect((await late.beforeJob(2)).mode).toBe('unlicensed');
    await late.close();
    // The untouched lease, offline and in time: offline grace, jobs render and are recorded for later.
    const fine = await machine('tamper', offline);
    expect((await fine.heartbeat()).state).toBe('offline-grace');
    expect((await fine.beforeJob(2)).mode).toBe('offline');
    expect(await user.balance()).toBe(5);
  });

  it('does not trust a server whose key differs from the one pinned at activation', async () => {
    const user = await customer(server.url, { credits: 5 });
    const dataDir = join(dir, 'wrong-key');
    const l = await machine('wrong-key', { dataDir });
    await l.activate(user.licenseKey);
    await l.close();
    const file = join(dataDir, 'license.json');
    const state = JSON.parse(await readFile(file, 'utf8')) as { jwks: { keys: Array<{ kid: string }> } };
    const kid = state.jwks.keys[0]!.kid;
    const other = generateKeyPairSync('ed25519').publicKey.export({ format: 'jwk' });
    await writeFile(file, JSON.stringify({ ...state, jwks: { keys: [{ ...other, kid, alg: 'EdDSA', use: 'sig' }] } }));
    const pinned = await machine('wrong-key', { dataDir });
    // Offline the stored lease does not verify; online the fresh lease does not either.
    expect(pinned.status()).toMatchObject({ state: 'expired', code: 'BAD_SIGNATURE' });
    expect(await pinned.heartbeat()).toMatchObject({ state: 'expired', code: 'BAD_SIGNATURE' });
    await expectNoCharge(pinned, 5, user.balance);
  });

  it('says when the clock is off by more than the signing window, and charges nothing', async () => {
    const user = await customer(server.url, { credits: 5 });
    const dataDir = join(dir, 'skew');
    const l = await machine('skew', { dataDir });
    await l.activate(user.licenseKey);
    await l.close();
    const skewed = await machine('skew', { dataDir, now: () => Date.now() + 20 * 60_000 });
    const status = await skewed.heartbeat();
    expect(status).toMatchObject({ state: 'expired', code: 'STALE_REQUEST' });
    expect(status.message).toMatch(/clock/);
    await expectNoCharge(skewed, 5, user.balance);
  });
});
