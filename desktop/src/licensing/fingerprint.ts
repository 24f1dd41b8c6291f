import { createHash } from 'node:crypto';
import { arch, cpus, hostname, platform, totalmem } from 'node:os';
import nodeMachineId from 'node-machine-id';

const { machineId } = nodeMachineId;

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

/**
 * The OS machine id through `node-machine-id` (the design card's choice): /var/lib/dbus/machine-id or /etc/machine-id
 * on Linux, IOPlatformUUID on macOS, MachineGuid on Windows. Its raw value is hashed below with the app salt.
 */
async function osMachineId(): Promise<string | undefined> {
  try {
    const id = (await machineId(true)).trim();
    // Its Linux fallback is the hostname; only a real machine id counts as the strong source.
    return id && id !== hostname() ? id : undefined;
  } catch {
    return undefined;
  }
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
