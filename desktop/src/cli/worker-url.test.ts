import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { testLicensingServer } from '../farm/trust/testing.ts';
import { BUILT_IN_SERVER_KEYS } from '../licensing/server-keys.ts';
import { parseWorkerArgs } from './worker.ts';

const dir = mkdtempSync(join(tmpdir(), 'vmp-worker-url-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

// #18 item 5: the farm password need not be on the command line (where `ps` shows it).
describe('vmp worker: farm URL from a file or the environment, trusted lease keys', () => {
  it('reads the URL from --farm-url-file (first line) or $VMP_FARM_URL; --farm wins', () => {
    const file = join(dir, 'farm-url');
    writeFileSync(file, 'redis://:s3cret@farm:6379\n# comment\n');
    expect(parseWorkerArgs(['--farm-url-file', file, '--root', '/srv'], {}).url).toBe('redis://:s3cret@farm:6379');
    expect(parseWorkerArgs(['--root', '/srv'], { VMP_FARM_URL: 'redis://:env@farm:6379' }).url).toBe(
      'redis://:env@farm:6379',
    );
    expect(
      parseWorkerArgs(['--farm', 'redis://flag:6379', '--root', '/srv'], { VMP_FARM_URL: 'redis://env:6379' }).url,
    ).toBe('redis://flag:6379');
  });

  it('names the file when it is missing, empty or holds a bad URL, without showing the password', () => {
    const empty = join(dir, 'empty');
    writeFileSync(empty, '\n');
    const bad = join(dir, 'bad');
    writeFileSync(bad, 'http://:hunter2@x\n');
    expect(() => parseWorkerArgs(['--farm-url-file', join(dir, 'nope'), '--root', '/s'], {})).toThrow(
      /--farm-url-file ".*nope" cannot be read \(ENOENT\)/,
    );
    expect(() => parseWorkerArgs(['--farm-url-file', empty, '--root', '/s'], {})).toThrow(/is empty/);
    let message = '';
    try {
      parseWorkerArgs(['--farm-url-file', bad, '--root', '/s'], {});
    } catch (error) {
      message = (error as Error).message;
    }
    expect(message).toMatch(/The URL in .*bad must start with redis:\/\//);
    expect(message).not.toContain('hunter2');
  });

  it('adds the keys of --trust-keys (or $VMP_FARM_TRUST_KEYS); refuses a file that is not a JWKS', () => {
    const server = testLicensingServer('dev-1');
    const jwks = join(dir, 'jwks.json');
    writeFileSync(jwks, JSON.stringify(server.jwks));
    const base = ['--farm', 'redis://f', '--root', '/s'];
    const builtIn = BUILT_IN_SERVER_KEYS.keys.map((k) => k.kid);
    expect(parseWorkerArgs(base, {}).trustedKeys).toEqual(BUILT_IN_SERVER_KEYS);
    expect(parseWorkerArgs([...base, '--trust-keys', jwks], {}).trustedKeys.keys.map((k) => k.kid)).toEqual([
      ...builtIn,
      'dev-1',
    ]);
    expect(parseWorkerArgs(base, { VMP_FARM_TRUST_KEYS: jwks }).trustedKeys.keys).toHaveLength(builtIn.length + 1);
    // A self-hosted server's keys named for the app (VMP_TRUST_SERVER_KEYS) replace the built-in ones here too.
    expect(parseWorkerArgs(base, { VMP_TRUST_SERVER_KEYS: jwks }).trustedKeys.keys.map((k) => k.kid)).toEqual([
      'dev-1',
    ]);
    const notJwks = join(dir, 'not.json');
    writeFileSync(notJwks, '{"hello":1}');
    expect(() => parseWorkerArgs([...base, '--trust-keys', notJwks], {})).toThrow(/is not a JWKS file/);
  });
});
