import { connectDb } from './db.ts';
import type { NewJob } from './jobs.ts';
import { Store } from './store.ts';

/**
 * Writes a job with all its outputs in one transaction through a connection of its own to `dbFile` (WAL: the app's
 * connection keeps reading meanwhile). The engine's worker threads run this, so 10,000 rows never hold the app's
 * main thread; it is the same repository code as `store.jobs.create`.
 */
export function writeJobToFile(dbFile: string, job: NewJob): string {
  const opened = connectDb(dbFile);
  try {
    return new Store(opened).jobs.create(job);
  } finally {
    opened.close();
  }
}
