import { describe, expect, it } from 'vitest';
import { checkBind, isLoopback, parseServeArgs } from './config.ts';
import { parseRange } from './range.ts';

describe('parseRange', () => {
  it('handles open, closed and suffix ranges', () => {
    expect(parseRange(undefined, 100)).toEqual({ kind: 'full' });
    expect(parseRange('bytes=0-9', 100)).toEqual({ kind: 'partial', start: 0, end: 9 });
    expect(parseRange('bytes=90-', 100)).toEqual({ kind: 'partial', start: 90, end: 99 });
    expect(parseRange('bytes=-10', 100)).toEqual({ kind: 'partial', start: 90, end: 99 });
    expect(parseRange('bytes=50-500', 100)).toEqual({ kind: 'partial', start: 50, end: 99 });
    expect(parseRange('bytes=100-', 100)).toEqual({ kind: 'unsatisfiable' });
    expect(parseRange('bytes=0-1,5-6', 100)).toEqual({ kind: 'full' });
  });
});

describe('host config', () => {
  it('knows loopback addresses', () => {
    expect(['127.0.0.1', 'localhost', '::1', '[::1]', '127.1.2.3'].every(isLoopback)).toBe(true);
    expect(['0.0.0.0', '192.168.1.2', '::'].some(isLoopback)).toBe(false);
  });

  it('refuses a non-loopback bind without a token, with a message saying what to do', () => {
    expect(() => checkBind('0.0.0.0', undefined)).toThrow(/Refusing to listen on 0.0.0.0 without a token.*--token/);
    expect(() => checkBind('0.0.0.0', 'long-enough-secret')).not.toThrow();
    expect(() => checkBind('127.0.0.1', undefined)).not.toThrow();
  });

  it('parses flags over environment defaults', () => {
    expect(parseServeArgs([], {})).toEqual({ port: 5170, host: '127.0.0.1' });
    expect(
      parseServeArgs(['--port', '0', '--data-dir=/d', '--host', '0.0.0.0'], { VMP_TOKEN: 'secret-token' }),
    ).toEqual({ port: 0, host: '0.0.0.0', dataDir: '/d', token: 'secret-token' });
    expect(() => parseServeArgs(['--port', 'x'], {})).toThrow(/--port must be/);
    expect(() => parseServeArgs(['--bogus'], {})).toThrow(/Unknown option --bogus/);
  });
});
