import { reactivationProof } from '@vmp/shared/signing';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  activate,
  adminHeaders,
  errorCode,
  grantCredits,
  machineRequest,
  startApp,
  userWithMachine,
} from './helpers.ts';

// Issue 18, item 10: usage made before a suspension is still paid; a seat's secret goes back only to its machine.
let app: FastifyInstance;
beforeAll(async () => {
  app = await startApp();
});
afterAll(async () => {
  await app.close();
});

const suspend = (key: string) =>
  app.inject({ method: 'POST', url: `/v1/admin/licenses/${key}/suspend`, headers: adminHeaders });

describe('a suspended license still reports what it used before', () => {
  it('accepts usage dated before the suspension and refuses what is dated after', async () => {
    const { user, license, machine } = await userWithMachine(app);
    await grantCredits(app, user.email, 10);
    const before = new Date(Date.now() - 3600_000).toISOString();
    expect((await suspend(license.licenseKey)).statusCode).toBe(200);
    const after = new Date(Date.now() + 1000).toISOString();
    const send = (entries: unknown[]) =>
      machineRequest(app, machine, { method: 'POST', url: '/v1/credits/usage', body: { entries } });
    const res = await send([
      { id: 'old-1', amount: 2, at: before },
      { id: 'new-1', amount: 1, at: after },
    ]);
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({ applied: ['old-1'], refused: ['new-1'], balance: 8 });
    const onlyAfter = await send([{ id: 'new-2', amount: 1, at: after }]);
    expect(onlyAfter.statusCode).toBe(403);
    expect(errorCode(onlyAfter)).toBe('LICENSE_SUSPENDED');
  });
});

describe('activating again with a known machine id', () => {
  it('gives the seat a new secret unless the machine proves it holds the current one', async () => {
    const { license, machine } = await userWithMachine(app);
    // Someone with the license key and the machine id, without its secret.
    const thief = await activate(app, license.licenseKey, machine.machineId);
    expect(thief.statusCode).toBe(201);
    const stolen = thief.machine();
    expect(stolen.activationId).toBe(machine.activationId);
    expect(stolen.machineSecret).not.toBe(machine.machineSecret);
    // The old secret stops working (the seat's secret changed).
    const old = await machineRequest(app, machine, { method: 'POST', url: '/v1/licenses/validate', body: {} });
    expect(old.statusCode).toBe(401);

    // The machine holding the current secret proves it and gets the same one back.
    const nonce = 'proof-nonce-0123456789abcdef';
    const proof = { nonce, mac: reactivationProof(stolen.machineSecret, machine.machineId, nonce) };
    const { signedRequest } = await import('./helpers.ts');
    const again = await app.inject(
      signedRequest({
        method: 'POST',
        url: '/v1/licenses/activate',
        key: license.licenseKey,
        body: {
          licenseKey: license.licenseKey,
          machineId: machine.machineId,
          appVersion: '1.0.0',
          platform: 'linux',
          proof,
        },
      }),
    );
    expect(again.statusCode).toBe(201);
    expect(again.json().machineSecret).toBe(stolen.machineSecret);
  });
});
