import { describe, expect, it } from 'vitest';
import { collectMachineSources, fingerprintFrom, machineFingerprint } from './fingerprint.ts';

const sources = {
  osMachineId: 'ABC-123',
  hostname: 'h',
  platform: 'linux',
  arch: 'x64',
  cpuModel: 'cpu',
  totalMemGiB: 16,
};

describe('machine fingerprint', () => {
  it('is stable, salted and hides the raw id', () => {
    const a = fingerprintFrom(sources, 'salt');
    expect(a).toMatch(/^m1-[0-9a-f]{64}$/);
    expect(fingerprintFrom({ ...sources, osMachineId: 'abc-123 ' }, 'salt')).toBe(a);
    expect(fingerprintFrom(sources, 'other salt')).not.toBe(a);
    expect(a).not.toContain('abc');
  });

  it('ignores hostname changes when the OS id exists, and uses them otherwise', () => {
    expect(fingerprintFrom({ ...sources, hostname: 'renamed' }, 's')).toBe(fingerprintFrom(sources, 's'));
    const weak = { ...sources, osMachineId: undefined };
    expect(fingerprintFrom({ ...weak, hostname: 'renamed' }, 's')).not.toBe(fingerprintFrom(weak, 's'));
  });

  it('gives this machine the same value twice', async () => {
    expect((await collectMachineSources()).platform).toBeTruthy();
    expect(await machineFingerprint('t')).toBe(await machineFingerprint('t'));
  });
});
