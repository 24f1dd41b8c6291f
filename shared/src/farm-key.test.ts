import { sign, verify } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { farmJobKey } from './farm-key.ts';

describe('farmJobKey', () => {
  it('is the same Ed25519 key for the same secret, another for another, and signs what it verifies', () => {
    const a = farmJobKey('secret-a');
    expect(farmJobKey('secret-a').x).toBe(a.x);
    expect(farmJobKey('secret-b').x).not.toBe(a.x);
    expect(a.x).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(a.privateKey.asymmetricKeyType).toBe('ed25519');
    const message = Buffer.from('job');
    const signature = sign(null, message, a.privateKey);
    expect(verify(null, message, a.publicKey, signature)).toBe(true);
    expect(verify(null, message, farmJobKey('secret-b').publicKey, signature)).toBe(false);
    expect(() => farmJobKey('')).toThrow(/machine secret/);
  });
});
