import { describe, expect, it } from 'vitest';
import { buildRequest } from './cli.ts';

describe('admin CLI arguments', () => {
  it('builds create-license with a normalised type and ISO expiry', () => {
    const req = buildRequest([
      '--server',
      'http://h:1/',
      'create-license',
      '--email',
      'a@b.c',
      '--type',
      'pro',
      '--max-activations',
      '3',
      '--expires',
      '2027-01-31',
      '--json',
    ]);
    expect(req).toMatchObject({
      method: 'POST',
      path: '/v1/admin/licenses',
      server: 'http://h:1',
      json: true,
      body: { email: 'a@b.c', type: 'PRO', maxActivations: 3, expiresAt: '2027-01-31T00:00:00.000Z' },
    });
  });

  it('builds grant-credits and the status commands', () => {
    expect(buildRequest(['grant-credits', '--email', 'a@b.c', '--amount=-5', '--reason', 'fix']).body).toEqual({
      email: 'a@b.c',
      amount: -5,
      reason: 'fix',
    });
    expect(buildRequest(['suspend-license', 'VMP-AAAAA']).path).toBe('/v1/admin/licenses/VMP-AAAAA/suspend');
    expect(buildRequest(['revoke-license', 'VMP-AAAAA']).path).toBe('/v1/admin/licenses/VMP-AAAAA/revoke');
  });

  it('explains missing or bad arguments', () => {
    expect(() => buildRequest(['create-license', '--email', 'a@b.c'])).toThrow(/--type is required/);
    expect(() => buildRequest(['create-license', '--email', 'a', '--type', 'PRO', '--max-activations', 'x'])).toThrow(
      /whole number/,
    );
    expect(() =>
      buildRequest(['create-license', '--email', 'a', '--type', 'PRO', '--max-activations', '1', '--expires', 'soon']),
    ).toThrow(/not a date/);
    expect(() => buildRequest(['frobnicate'])).toThrow(/Unknown command/);
    expect(() => buildRequest([])).toThrow(/No command/);
  });
});
