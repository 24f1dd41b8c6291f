import { describe, expect, it } from 'vitest';
import { dispatch } from '../core/dispatch.ts';
import { createIpcCallHandler, producedUrl } from './ipc.ts';

const trusted = (url: string | undefined) => url === 'vmp://app/index.html';

describe('createIpcCallHandler', () => {
  it('answers a failed call with the wire error {code, message, details}', async () => {
    // The real dispatcher with a core whose handler throws nothing: the input fails the contract first.
    const handle = createIpcCallHandler({ isTrustedSender: trusted, dispatch: (m, i) => dispatch({} as never, m, i) });
    const result = await handle('vmp://app/index.html', {
      type: 'call',
      id: 7,
      method: 'projects.create',
      input: { name: '' },
    });
    expect(result).toMatchObject({ type: 'result', id: 7, ok: false, error: { code: 'VALIDATION_ERROR' } });
    expect(result.ok === false && result.error.details).toMatchObject({ method: 'projects.create' });
  });

  it('refuses calls from other frames and malformed envelopes with typed errors', async () => {
    const calls: string[] = [];
    const handle = createIpcCallHandler({
      isTrustedSender: trusted,
      dispatch: async (method) => {
        calls.push(method);
        return { ok: true, output: {} };
      },
    });
    expect(
      await handle('https://evil.example/', { type: 'call', id: 1, method: 'queue.state', input: {} }),
    ).toMatchObject({
      id: 1,
      ok: false,
      error: { code: 'FORBIDDEN' },
    });
    const malformed = await handle('vmp://app/index.html', { type: 'call', id: 'x', method: 'queue.state' });
    expect(malformed).toMatchObject({ id: -1, ok: false, error: { code: 'VALIDATION_ERROR' } });
    expect(malformed.ok === false && malformed.error.message).toMatch(/^Malformed call message: id:/);
    expect(calls).toEqual([]);
  });

  it('passes successful results through and lets main record URLs the app produced', async () => {
    const seen: string[] = [];
    const handle = createIpcCallHandler({
      isTrustedSender: trusted,
      dispatch: async () => ({ ok: true, output: { url: 'https://checkout.stripe.com/c/pay/cs_1' } }),
      onResult: (method, output) => {
        const url = producedUrl(method, output);
        if (url) seen.push(url);
      },
    });
    const result = await handle('vmp://app/index.html', {
      type: 'call',
      id: 3,
      method: 'credits.checkoutUrl',
      input: {},
    });
    expect(result).toEqual({
      type: 'result',
      id: 3,
      ok: true,
      output: { url: 'https://checkout.stripe.com/c/pay/cs_1' },
    });
    expect(seen).toEqual(['https://checkout.stripe.com/c/pay/cs_1']);
    expect(producedUrl('projects.get', { url: 'https://x.example' })).toBeNull();
  });
});
