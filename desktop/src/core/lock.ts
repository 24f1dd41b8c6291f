import { closeSync, openSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
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

/**
 * One app process per data folder: two queues on one database would render the same outputs twice. A lock left by
 * a crashed process (its pid is gone) is taken over. Returns the release function.
 */
export function lockDataDir(dataDir: string): () => void {
  const file = join(dataDir, 'vmp.lock');
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      const fd = openSync(file, 'wx');
      writeFileSync(fd, String(process.pid));
      closeSync(fd);
      return () => {
        try {
          if (readFileSync(file, 'utf8').trim() === String(process.pid)) rmSync(file, { force: true });
        } catch {}
      };
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      const pid = Number(readFileSync(file, 'utf8').trim());
      if (Number.isInteger(pid) && pid > 0 && pid !== process.pid && processAlive(pid))
        throw new DataDirInUseError(dataDir, pid);
      rmSync(file, { force: true }); // Stale (crashed owner) or our own: take it over.
    }
  }
  throw new DataDirInUseError(dataDir, -1);
}
