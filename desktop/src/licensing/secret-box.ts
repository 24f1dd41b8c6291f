import { execFile } from 'node:child_process';
import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { dirname, join } from 'node:path';
import { AppError } from '@vmp/shared/errors';

/** How the machine secret is protected at rest; `kind` is shown in license.status and the README. */
export interface SecretBox {
  readonly kind: 'electron-safe-storage' | 'os-keychain' | 'key-file';
  seal(plain: string): Promise<string>;
  open(sealed: string): Promise<string>;
}

export class SecretUnavailableError extends AppError {
  constructor(message: string, cause?: unknown) {
    super('SECRET_UNAVAILABLE', message, { status: 500, cause });
  }
}

/** Electron's safeStorage (Keychain / DPAPI / libsecret-kwallet), passed in by the main process. */
export interface SafeStorageLike {
  isEncryptionAvailable(): boolean;
  encryptString(plain: string): Buffer;
  decryptString(data: Buffer): string;
}

export function safeStorageBox(safe: SafeStorageLike): SecretBox {
  return {
    kind: 'electron-safe-storage',
    seal: async (plain) => `ss1:${safe.encryptString(plain).toString('base64')}`,
    open: async (sealed) => {
      if (!sealed.startsWith('ss1:')) throw new SecretUnavailableError('The machine secret was sealed another way.');
      return safe.decryptString(Buffer.from(sealed.slice(4), 'base64'));
    },
  };
}

/** AES-256-GCM with a 32-byte key obtained from somewhere that is not the data folder. */
export function aesBox(kind: SecretBox['kind'], key: () => Promise<Buffer>): SecretBox {
  return {
    kind,
    async seal(plain) {
      const iv = randomBytes(12);
      const cipher = createCipheriv('aes-256-gcm', await key(), iv);
      const data = Buffer.concat([cipher.update(plain, 'utf8'), cipher.final()]);
      return `gcm1:${Buffer.concat([iv, cipher.getAuthTag(), data]).toString('base64')}`;
    },
    async open(sealed) {
      if (!sealed.startsWith('gcm1:')) throw new SecretUnavailableError('The machine secret was sealed another way.');
      const raw = Buffer.from(sealed.slice(5), 'base64');
      try {
        const decipher = createDecipheriv('aes-256-gcm', await key(), raw.subarray(0, 12));
        decipher.setAuthTag(raw.subarray(12, 28));
        return Buffer.concat([decipher.update(raw.subarray(28)), decipher.final()]).toString('utf8');
      } catch (error) {
        throw new SecretUnavailableError(
          "The machine secret cannot be decrypted with this user account's key; activate this machine again.",
          error,
        );
      }
    },
  };
}

function run(command: string, args: string[], input?: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = execFile(command, args, { timeout: 10_000 }, (error, stdout) =>
      error ? reject(error) : resolve(String(stdout)),
    );
    if (input !== undefined) child.stdin?.end(input);
  });
}

const SERVICE = 'Video Mixer Pro';
const ACCOUNT = 'machine-secret-key';

/**
 * The OS keychain holds a random AES key: libsecret (`secret-tool`) on Linux, the login keychain (`security`) on
 * macOS, DPAPI (PowerShell ProtectedData, CurrentUser) on Windows — there the DPAPI blob lives in `fallbackDir`,
 * useless without the user's Windows login. Throws when none works here.
 */
export async function keychainKey(platform = process.platform, fallbackDir?: string): Promise<Buffer> {
  const fresh = randomBytes(32).toString('base64');
  if (platform === 'linux') {
    const found = await run('secret-tool', ['lookup', 'service', SERVICE, 'account', ACCOUNT]).catch(() => '');
    if (found.trim()) return Buffer.from(found.trim(), 'base64');
    await run('secret-tool', ['store', '--label', SERVICE, 'service', SERVICE, 'account', ACCOUNT], fresh);
    return Buffer.from((await run('secret-tool', ['lookup', 'service', SERVICE, 'account', ACCOUNT])).trim(), 'base64');
  }
  if (platform === 'darwin') {
    const found = await run('security', ['find-generic-password', '-s', SERVICE, '-a', ACCOUNT, '-w']).catch(() => '');
    if (found.trim()) return Buffer.from(found.trim(), 'base64');
    await run('security', ['add-generic-password', '-s', SERVICE, '-a', ACCOUNT, '-w', fresh, '-U']);
    return Buffer.from(fresh, 'base64');
  }
  if (platform === 'win32' && fallbackDir) {
    const blobFile = join(fallbackDir, 'secret-key.dpapi');
    const ps = (script: string) => run('powershell.exe', ['-NoProfile', '-NonInteractive', '-Command', script]);
    const prelude = 'Add-Type -AssemblyName System.Security;';
    let blob = '';
    try {
      blob = readFileSync(blobFile, 'utf8').trim();
    } catch {}
    if (!blob) {
      blob = (
        await ps(
          `${prelude}[Convert]::ToBase64String([Security.Cryptography.ProtectedData]::Protect([Convert]::FromBase64String('${fresh}'),$null,'CurrentUser'))`,
        )
      ).trim();
      mkdirSync(fallbackDir, { recursive: true });
      writeFileSync(blobFile, blob, { mode: 0o600 });
    }
    const key = await ps(
      `${prelude}[Convert]::ToBase64String([Security.Cryptography.ProtectedData]::Unprotect([Convert]::FromBase64String('${blob}'),$null,'CurrentUser'))`,
    );
    return Buffer.from(key.trim(), 'base64');
  }
  throw new SecretUnavailableError(`No OS keychain on ${platform}.`);
}

/** Per-user folder outside the data folder for the key-file fallback (XDG state / Library / LocalAppData). */
export function defaultKeyDir(env: NodeJS.ProcessEnv = process.env, platform = process.platform): string {
  if (env.VMP_KEY_DIR) return env.VMP_KEY_DIR;
  if (platform === 'win32') return join(env.LOCALAPPDATA ?? join(homedir(), 'AppData', 'Local'), 'VideoMixerPro');
  if (platform === 'darwin') return join(homedir(), 'Library', 'Application Support', 'VideoMixerPro-keys');
  return join(env.XDG_STATE_HOME || join(homedir(), '.local', 'state'), 'video-mixer-pro');
}

/** Last resort: a random key in a 0600 file in another folder; protects against copying the data folder only. */
export function keyFileKey(dir: string): Buffer {
  const file = join(dir, 'secret.key');
  try {
    const key = Buffer.from(readFileSync(file, 'utf8').trim(), 'base64');
    if (key.length === 32) return key;
  } catch {}
  const key = randomBytes(32);
  mkdirSync(dirname(file), { recursive: true, mode: 0o700 });
  writeFileSync(file, key.toString('base64'), { mode: 0o600 });
  return key;
}

/**
 * The best protection available: Electron safeStorage when the shell passes it and it works, else the OS keychain,
 * else a key file outside the data folder (reported as such). `VMP_SECRET_STORE=key-file` forces the last (tests).
 */
export async function chooseSecretBox(
  options: { safeStorage?: SafeStorageLike; keyDir?: string; env?: NodeJS.ProcessEnv } = {},
): Promise<SecretBox> {
  const env = options.env ?? process.env;
  const keyDir = options.keyDir ?? defaultKeyDir(env);
  if (options.safeStorage?.isEncryptionAvailable()) return safeStorageBox(options.safeStorage);
  if (env.VMP_SECRET_STORE !== 'key-file') {
    try {
      const key = await keychainKey(process.platform, keyDir);
      if (key.length === 32) return aesBox('os-keychain', async () => key);
    } catch {
      // No keychain here (headless Linux without a Secret Service): fall through to the key file.
    }
  }
  let cached: Buffer | undefined;
  return aesBox('key-file', async () => {
    cached ??= keyFileKey(keyDir);
    return cached;
  });
}
