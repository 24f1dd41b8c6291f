import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import type { Jwks } from '@vmp/shared/http';
import type { SecretBox } from './secret-box.ts';

/** What the app keeps between runs to work offline. */
export interface LicenseState {
  serverUrl?: string;
  machineId?: string;
  activationId?: string;
  /** HMAC key of this machine; SealedLicenseStore keeps it encrypted on disk. */
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

/**
 * The license file with the machine secret sealed by a SecretBox (safeStorage, OS keychain or a key file kept
 * elsewhere): copying the data folder alone does not copy a usable activation.
 */
export class SealedLicenseStore implements LicenseStore {
  private readonly file: FileLicenseStore;
  constructor(
    path: string,
    private readonly box: SecretBox,
  ) {
    this.file = new FileLicenseStore(path);
  }

  async load(): Promise<LicenseState> {
    const { machineSecretSealed, ...rest } = (await this.file.load()) as LicenseState & {
      machineSecretSealed?: string;
    };
    if (rest.machineSecret) return rest; // Written before sealing existed: sealed at the next save.
    if (!machineSecretSealed) return rest;
    return { ...rest, machineSecret: await this.box.open(machineSecretSealed) };
  }

  async save(state: LicenseState): Promise<void> {
    const { machineSecret, ...rest } = state;
    const sealed = machineSecret ? { machineSecretSealed: await this.box.seal(machineSecret) } : {};
    await this.file.save({ ...rest, ...sealed } as LicenseState);
  }
}
