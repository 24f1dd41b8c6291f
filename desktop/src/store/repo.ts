import type Database from 'better-sqlite3';
import type { Db } from './db.ts';

/** What every repository gets from the Store: the drizzle handle and the one way to run a transaction. */
export interface RepoContext {
  db: Db;
  transaction<T>(fn: () => T): T;
  /** The raw connection, for prepared statements on hot paths (bulk inserts). */
  sqlite: Database.Database;
}

export const now = () => Date.now();
