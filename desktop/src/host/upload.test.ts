import { describe, expect, it } from 'vitest';
import { isLoopback, serverTiming } from './upload.ts';

describe('upload helpers', () => {
  it('tells a peer on this machine from one elsewhere', () => {
    for (const a of ['127.0.0.1', '127.8.0.1', '::1', '::ffff:127.0.0.1']) expect(isLoopback(a)).toBe(true);
    for (const a of ['192.168.1.5', '::ffff:10.0.0.2', 'fe80::1', '', undefined]) expect(isLoopback(a)).toBe(false);
  });

  it('says where an upload spent its time', () => {
    expect(serverTiming(120.04, 3400)).toBe('receive;dur=120.0, import;dur=3400.0');
  });
});
