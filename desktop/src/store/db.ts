import { mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import Database from 'better-sqlite3';
import { type BetterSQLite3Database, drizzle } from 'drizzle-orm/better-sqlite3';
import { migrate } from 'drizzle-orm/better-sqlite3/migrator';
import * as schema from './schema.ts';

export type Db = BetterSQLite3Database<typeof schema>;

export interface OpenedDb {
  db: Db;
  sqlite: Database.Database;
  file: string;
  close(): void;
}

/**
 * desktop/drizzle, found from this file: src/store/ in the repo and dist/<entry>/ in a build sit at the same depth.
 * VMP_MIGRATIONS_DIR overrides it (packaged apps ship the folder next to the bundle).
 */
export function defaultMigrationsDir(): string {
  if (process.env.VMP_MIGRATIONS_DIR) return process.env.VMP_MIGRATIONS_DIR;
  return join(dirname(fileURLToPath(import.meta.url)), '..', '..', 'drizzle');
}

export const DB_FILE_NAME = 'vmp.sqlite';

/** Opens (creating if needed) the app database in `dataDir`, in WAL mode, and applies pending migrations. */
export function openDb(dataDir: string, options: { migrationsDir?: string } = {}): OpenedDb {
  mkdirSync(dataDir, { recursive: true });
  const opened = connectDb(join(dataDir, DB_FILE_NAME));
  migrate(opened.db, { migrationsFolder: options.migrationsDir ?? defaultMigrationsDir() });
  return opened;
}

/**
 * One more connection to a database file `openDb` already migrated (a worker thread writing beside the app's own
 * connection): the same pragmas, no migrations.
 */
export function connectDb(file: string): OpenedDb {
  const sqlite = new Database(file);
  // WAL: readers never block the writer, and a crash mid-write leaves the last committed state.
  sqlite.pragma('journal_mode = WAL');
  sqlite.pragma('synchronous = NORMAL');
  sqlite.pragma('foreign_keys = ON');
  sqlite.pragma('busy_timeout = 5000');
  const db = drizzle(sqlite, { schema });
  return {
    db,
    sqlite,
    file,
    close: () => {
      if (sqlite.open) sqlite.close();
    },
  };
}
