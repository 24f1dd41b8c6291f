import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import type { Jwks } from '@vmp/shared/http';

/** What the app keeps between runs to work offline. */
export interface LicenseState {
  serverUrl?: string;
  machineId?: string;
  activationId?: string;
  /** HMAC key of this machine. The Electron shell should keep this file under safeStorage encryption. */
  machineSecret?: string;
  lease?: string;
  jwks?: Jwks;
  jwksFetchedAt?: string;
}

export interface LicenseStore {
  load(): Promise<LicenseState>;
  save(state: LicenseState): Promise<void>;
}

/** A JSON file, replaced atomically (write then rename) so a crash never leaves half a file. */
export class FileLicenseStore implements LicenseStore {
  constructor(private readonly path: string) {}

  async load(): Promise<LicenseState> {
    try {
      return JSON.parse(await readFile(this.path, 'utf8')) as LicenseState;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return {};
      throw error;
    }
  }

  async save(state: LicenseState): Promise<void> {
    await mkdir(dirname(this.path), { recursive: true });
    const tmp = `${this.path}.${process.pid}.tmp`;
    await writeFile(tmp, JSON.stringify(state, null, 2), { mode: 0o600 });
    await rename(tmp, this.path);
  }
}

export class MemoryLicenseStore implements LicenseStore {
  private state: LicenseState = {};
  async load() {
    return structuredClone(this.state);
  }
  async save(state: LicenseState) {
    this.state = structuredClone(state);
  }
}
