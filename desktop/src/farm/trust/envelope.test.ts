import { generateKeyPairSync } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { openJob, sealJob } from './envelope.ts';
import { farmJobSigner } from './signer.ts';
import { testLicensingServer } from './testing.ts';

const server = testLicensingServer();
const job = { version: 1, settings: { watermark: null }, outputs: [{ fileName: 'a.mp4' }] };
const SECRET = 'machine-secret-1';

/** The same JWS with its payload replaced (signature kept): what an attacker with Redis can do. */
function withPayload(jws: string, payload: unknown): string {
  const [header, , signature] = jws.split('.');
  return `${header}.${Buffer.from(JSON.stringify(payload)).toString('base64url')}.${signature}`;
}

describe('farm job signatures', () => {
  it('a licensed machine signs; a worker trusting the server sees a licensed job, byte for byte', async () => {
    const signer = farmJobSigner({ lease: await server.lease(SECRET), machineSecret: SECRET });
    expect(signer.lease).not.toBeNull();
    const sealed = await sealJob(job, signer);
    const opened = await openJob(sealed, server.jwks);
    expect(opened.trust).toEqual({ licensed: true, licence: 'licence-1', machine: 'machine-1' });
    expect(opened.payload).toEqual(job);
  });

  it('refuses an unsigned job (a bare batch written to Redis)', async () => {
    await expect(openJob(job, server.jwks)).rejects.toMatchObject({
      code: 'FARM_JOB_UNSIGNED',
      message: expect.stringMatching(/not signed.*submit it again from Video Mixer Pro/),
    });
    await expect(openJob({ jws: '' }, server.jwks)).rejects.toMatchObject({ code: 'FARM_JOB_UNSIGNED' });
  });

  it('refuses a job changed after signing (watermark taken out), licensed or not', async () => {
    const stamped = { ...job, settings: { watermark: 'Video Mixer Pro — unlicensed' } };
    for (const signer of [
      farmJobSigner({ lease: await server.lease(SECRET), machineSecret: SECRET }),
      farmJobSigner(null),
    ]) {
      const sealed = await sealJob(stamped, signer);
      const altered = { ...sealed, jws: withPayload(sealed.jws, job) };
      await expect(openJob(altered, server.jwks)).rejects.toMatchObject({
        code: 'FARM_JOB_ALTERED',
        message: expect.stringMatching(/signature does not match its content/),
      });
    }
  });

  it('a lease copied from a licensed job does not let another key sign', async () => {
    const lease = await server.lease(SECRET);
    const forged = await sealJob(job, { lease, key: generateKeyPairSync('ed25519').privateKey });
    await expect(openJob(forged, server.jwks)).rejects.toMatchObject({ code: 'FARM_JOB_ALTERED' });
    // Nor does dropping the lease and signing with one's own key make it licensed.
    const selfSigned = await sealJob(job, farmJobSigner(null));
    expect((await openJob(selfSigned, server.jwks)).trust).toMatchObject({ licensed: false });
  });

  it('a lease the worker cannot trust (own server key, expired, no render) makes the job unlicensed', async () => {
    const own = generateKeyPairSync('ed25519').privateKey;
    const cases = [
      { lease: await server.lease(SECRET, { key: own }), why: /not signed by a licensing server this worker trusts/ },
      { lease: await server.lease(SECRET, { exp: Math.floor(Date.now() / 1000) - 3600 }), why: /cannot be used/ },
      { lease: await server.lease(SECRET, { feat: ['sync'] }), why: /does not include rendering/ },
    ];
    for (const { lease, why } of cases) {
      const sealed = await sealJob(job, farmJobSigner({ lease, machineSecret: SECRET }));
      const { trust } = await openJob(sealed, server.jwks);
      expect(trust).toMatchObject({ licensed: false, why: expect.stringMatching(why) });
    }
    // The worker trusts no key at all: every job is unlicensed.
    const sealed = await sealJob(job, farmJobSigner({ lease: await server.lease(SECRET), machineSecret: SECRET }));
    expect((await openJob(sealed, { keys: [] })).trust).toMatchObject({ licensed: false });
  });

  it('a lease without the farm key (older server) or for another secret signs as unlicensed', async () => {
    expect(farmJobSigner({ lease: await server.lease(SECRET, { fjk: null }), machineSecret: SECRET }).lease).toBeNull();
    expect(farmJobSigner({ lease: await server.lease('other-secret'), machineSecret: SECRET }).lease).toBeNull();
  });
});
