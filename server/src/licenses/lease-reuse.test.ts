import { describe, expect, it } from 'vitest';
import { loadConfig } from '../config.ts';
import { LeaseReuse } from './lease-reuse.ts';

describe('LeaseReuse', () => {
  let clock = 1_000_000_000_000;
  let signed = 0;
  const sign = async (now: Date) => `lease-${++signed}-${now.getTime()}`;

  it('forgets the least recently seen machine when full, and never reuses across a clock step back', async () => {
    const leases = new LeaseReuse({ maxAgeSeconds: 3600, maxEntries: 2, now: () => clock });
    const a = await leases.lease('a', 'facts', sign);
    const b = await leases.lease('b', 'facts', sign);
    expect(await leases.lease('a', 'facts', sign)).toBe(a);
    await leases.lease('c', 'facts', sign);
    expect(await leases.lease('b', 'facts', sign)).not.toBe(b);
    clock -= 5000;
    expect(await leases.lease('c', 'facts', sign)).not.toContain(`-${clock + 5000}`);
  });

  it('signs every time with a reuse window of 0', async () => {
    const leases = new LeaseReuse({ maxAgeSeconds: 0, now: () => clock });
    expect(await leases.lease('a', 'facts', sign)).not.toBe(await leases.lease('a', 'facts', sign));
  });

  it('defaults to a twentieth of the lease TTL and refuses more than half of it', () => {
    expect(loadConfig({}).leaseReuseSeconds).toBe((14 * 24 * 3600) / 20);
    expect(loadConfig({ VMP_LEASE_TTL: '600', VMP_LEASE_REUSE_SECONDS: '0' }).leaseReuseSeconds).toBe(0);
    expect(() => loadConfig({ VMP_LEASE_TTL: '600', VMP_LEASE_REUSE_SECONDS: '301' })).toThrow(
      /VMP_LEASE_REUSE_SECONDS \(301\) must be at most half of VMP_LEASE_TTL \(600\)/,
    );
  });
});
