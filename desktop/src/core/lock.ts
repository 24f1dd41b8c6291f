import { randomUUID } from 'node:crypto';
import { linkSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { AppError } from '@vmp/shared/errors';
import { processAlive } from '../util/process-alive.ts';

export class DataDirInUseError extends AppError {
  constructor(dataDir: string, pid: number) {
    super(
      'DATA_DIR_IN_USE',
      `Video Mixer Pro is already running on ${dataDir} (process ${pid}). Close it first, or use another --data-dir.`,
      { status: 409, details: { dataDir, pid } },
    );
  }
}

/** The pid in a lock file; null when the file is gone (released meanwhile). */
function readPid(file: string): number | null {
  try {
    return Number(readFileSync(file, 'utf8').trim());
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw error;
  }
}

/** Creates `file` holding our pid in one step: link() of a complete temp file fails with EEXIST if it exists. */
function createWithPid(file: string): boolean {
  const temp = `${file}.${process.pid}.${randomUUID()}`;
  writeFileSync(temp, String(process.pid));
  try {
    linkSync(temp, file);
    return true;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    return false;
  } finally {
    rmSync(temp, { force: true });
  }
}

/**
 * Removes a lock left by a dead process. Renamed away first, then checked: if another process took it over and
 * locked meanwhile, we moved a live lock, which goes back.
 */
function takeOverStale(file: string, stalePid: number): void {
  const moved = `${file}.stale.${process.pid}.${randomUUID()}`;
  try {
    renameSync(file, moved);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return;
    throw error;
  }
  const pid = readPid(moved);
  if (pid !== stalePid && pid !== null && Number.isInteger(pid) && pid > 0 && processAlive(pid)) {
    try {
      linkSync(moved, file);
    } catch {}
  }
  rmSync(moved, { force: true });
}

/**
 * One app process per data folder: two queues on one database would render the same outputs twice. A lock left by
 * a crashed process (its pid is gone) is taken over. Returns the release function.
 */
export function lockDataDir(dataDir: string): () => void {
  const file = join(dataDir, 'vmp.lock');
  for (let attempt = 0; attempt < 5; attempt++) {
    if (createWithPid(file)) {
      return () => {
        try {
          if (readPid(file) === process.pid) rmSync(file, { force: true });
        } catch {}
      };
    }
    const pid = readPid(file);
    if (pid === null) continue; // Released meanwhile: try again.
    if (Number.isInteger(pid) && pid > 0 && pid !== process.pid && processAlive(pid))
      throw new DataDirInUseError(dataDir, pid);
    takeOverStale(file, pid); // Stale (crashed owner) or our own.
  }
  throw new DataDirInUseError(dataDir, readPid(file) ?? -1);
}
