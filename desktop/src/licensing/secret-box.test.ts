import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { aesBox, chooseSecretBox, keyFileKey } from './secret-box.ts';
import { SealedLicenseStore } from './store.ts';

let dir: string | undefined;
afterEach(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe('machine secret at rest', () => {
  it('is sealed in the license file with a key kept in another folder', async () => {
    dir = mkdtempSync(join(tmpdir(), 'vmp-secret-'));
    const env = { VMP_SECRET_STORE: 'key-file', VMP_KEY_DIR: join(dir, 'keys') };
    const box = await chooseSecretBox({ env });
    expect(box.kind).toBe('key-file');
    const file = join(dir, 'data', 'license.json');
    const store = new SealedLicenseStore(file, box);
    await store.save({ activationId: 'a', machineSecret: 'very-secret-value', lease: 'x.y.z' });
    const text = readFileSync(file, 'utf8');
    expect(text).not.toContain('very-secret-value');
    expect(text).toContain('machineSecretSealed');
    expect(await new SealedLicenseStore(file, await chooseSecretBox({ env })).load()).toMatchObject({
      activationId: 'a',
      machineSecret: 'very-secret-value',
    });
    // Another user's key (data folder copied elsewhere) cannot open it.
    const other = aesBox('key-file', async () => keyFileKey(join(dir!, 'other-keys')));
    await expect(new SealedLicenseStore(file, other).load()).rejects.toMatchObject({ code: 'SECRET_UNAVAILABLE' });
  });

  it('uses Electron safeStorage when the shell offers it', async () => {
    const fake = {
      isEncryptionAvailable: () => true,
      encryptString: (s: string) => Buffer.from(s.split('').reverse().join('')),
      decryptString: (b: Buffer) => b.toString().split('').reverse().join(''),
    };
    const box = await chooseSecretBox({ safeStorage: fake, env: {} });
    expect(box.kind).toBe('electron-safe-storage');
    expect(await box.open(await box.seal('abc'))).toBe('abc');
  });
});
