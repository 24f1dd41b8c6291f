import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { arch, cpus, hostname, platform, totalmem } from 'node:os';
import { promisify } from 'node:util';

const run = promisify(execFile);

/** Stable identifiers of this machine, strongest first. Missing ones are simply absent. */
export interface MachineSources {
  /** OS machine id: /etc/machine-id, IOPlatformUUID or the Windows MachineGuid. */
  osMachineId?: string;
  hostname: string;
  platform: string;
  arch: string;
  cpuModel: string;
  totalMemGiB: number;
}

/**
 * The fingerprint sent as `machineId`: SHA-256 over the sources and an app salt, so the raw ids never
 * leave the machine and the value means nothing to other apps. Hostname and memory are used only when
 * the OS id is missing, because they change more often.
 */
export function fingerprintFrom(sources: MachineSources, salt: string): string {
  const parts = sources.osMachineId
    ? ['v1', sources.osMachineId.trim().toLowerCase(), sources.platform]
    : ['v1-weak', sources.hostname, sources.platform, sources.arch, sources.cpuModel, String(sources.totalMemGiB)];
  return `m1-${createHash('sha256')
    .update(`${salt}\n${parts.join('\n')}`, 'utf8')
    .digest('hex')}`;
}

async function osMachineId(): Promise<string | undefined> {
  try {
    if (platform() === 'linux') {
      for (const file of ['/etc/machine-id', '/var/lib/dbus/machine-id']) {
        const id = (await readFile(file, 'utf8').catch(() => '')).trim();
        if (id) return id;
      }
    } else if (platform() === 'darwin') {
      const { stdout } = await run('ioreg', ['-rd1', '-c', 'IOPlatformExpertDevice']);
      return /"IOPlatformUUID"\s*=\s*"([^"]+)"/.exec(stdout)?.[1];
    } else if (platform() === 'win32') {
      const { stdout } = await run('reg', ['query', 'HKLM\\SOFTWARE\\Microsoft\\Cryptography', '/v', 'MachineGuid']);
      return /MachineGuid\s+REG_SZ\s+(\S+)/.exec(stdout)?.[1];
    }
  } catch {
    // Fall back to the weaker sources.
  }
  return undefined;
}

export async function collectMachineSources(): Promise<MachineSources> {
  return {
    osMachineId: await osMachineId(),
    hostname: hostname(),
    platform: platform(),
    arch: arch(),
    cpuModel: cpus()[0]?.model.trim() ?? 'unknown',
    totalMemGiB: Math.round(totalmem() / 2 ** 30),
  };
}

export async function machineFingerprint(salt = 'video-mixer-pro'): Promise<string> {
  return fingerprintFrom(await collectMachineSources(), salt);
}
