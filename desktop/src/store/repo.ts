import type { Db } from './db.ts';

/** What every repository gets from the Store: the drizzle handle and the one way to run a transaction. */
export interface RepoContext {
  db: Db;
  transaction<T>(fn: () => T): T;
}

export const now = () => Date.now();
