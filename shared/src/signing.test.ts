import { describe, expect, it } from 'vitest';
import {
  canonicalRequest,
  checkTimestamp,
  computeSignature,
  isValidNonce,
  newNonce,
  sha256Hex,
  signRequest,
  verifySignature,
} from './signing.ts';

describe('request signing', () => {
  const base = { key: 'VMP-KEY', method: 'POST', path: '/v1/licenses/validate?x=1', body: '{"a":1}' };

  it('builds the canonical string from method, path, timestamp, nonce and body hash', () => {
    const canonical = canonicalRequest('post', '/p?q=1', '1700000000', 'nonce', 'abc');
    expect(canonical).toBe(
      'POST\n/p?q=1\n1700000000\nnonce\nba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad',
    );
    expect(sha256Hex(undefined)).toBe('e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855');
  });

  it('matches a known HMAC-SHA256 vector', () => {
    // RFC 4231 test case 2.
    expect(computeSignature('Jefe', 'what do ya want for nothing?')).toBe(
      '5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843',
    );
  });

  it('verifies what it signs', () => {
    const headers = signRequest(base);
    expect(headers['x-vmp-signature']).toMatch(/^[0-9a-f]{64}$/);
    expect(isValidNonce(headers['x-vmp-nonce']!)).toBe(true);
    const ok = verifySignature({
      ...base,
      timestamp: headers['x-vmp-timestamp']!,
      nonce: headers['x-vmp-nonce']!,
      signature: headers['x-vmp-signature']!,
    });
    expect(ok).toBe(true);
  });

  it('treats string and byte bodies alike', () => {
    const a = signRequest({ ...base, timestamp: 1, nonce: 'n' });
    const b = signRequest({ ...base, body: Buffer.from(base.body), timestamp: 1, nonce: 'n' });
    expect(a).toEqual(b);
  });

  it.each([
    ['method', { method: 'PUT' }],
    ['path', { path: '/v1/licenses/validate?x=2' }],
    ['body', { body: '{"a":2}' }],
    ['key', { key: 'VMP-OTHER' }],
  ])('rejects a changed %s', (_name, change) => {
    const headers = signRequest(base);
    const ok = verifySignature({
      ...base,
      ...change,
      timestamp: headers['x-vmp-timestamp']!,
      nonce: headers['x-vmp-nonce']!,
      signature: headers['x-vmp-signature']!,
    });
    expect(ok).toBe(false);
  });

  it('rejects a changed timestamp or nonce, and signatures of the wrong length', () => {
    const h = signRequest({ ...base, timestamp: 100, nonce: 'abc' });
    const sig = h['x-vmp-signature']!;
    expect(verifySignature({ ...base, timestamp: '101', nonce: 'abc', signature: sig })).toBe(false);
    expect(verifySignature({ ...base, timestamp: '100', nonce: 'abd', signature: sig })).toBe(false);
    expect(verifySignature({ ...base, timestamp: '100', nonce: 'abc', signature: sig.slice(2) })).toBe(false);
    expect(verifySignature({ ...base, timestamp: '100', nonce: 'abc', signature: sig.toUpperCase() })).toBe(false);
  });

  it('checks timestamps against the allowed skew', () => {
    expect(checkTimestamp('1000', 1300)).toBe('ok');
    expect(checkTimestamp('1000', 1301)).toBe('stale');
    expect(checkTimestamp('1601', 1300)).toBe('stale');
    expect(checkTimestamp('12.5', 1300)).toBe('malformed');
    expect(checkTimestamp('', 1300)).toBe('malformed');
  });

  it('makes nonces of 16 random bytes and refuses short ones', () => {
    const n = newNonce();
    expect(Buffer.from(n, 'base64url')).toHaveLength(16);
    expect(n).not.toBe(newNonce());
    expect(isValidNonce('short')).toBe(false);
    expect(isValidNonce('a'.repeat(22) + '+')).toBe(false);
  });
});
