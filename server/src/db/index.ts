import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { ExtractTablesWithRelations } from 'drizzle-orm';
import type { PgDatabase, PgQueryResultHKT, PgTransaction } from 'drizzle-orm/pg-core';
import * as schema from './schema.ts';

export type Schema = typeof schema;
export type Db = PgDatabase<PgQueryResultHKT, Schema>;
export type Tx = PgTransaction<PgQueryResultHKT, Schema, ExtractTablesWithRelations<Schema>>;
/** Anything queries can run on: the database or an open transaction. */
export type Queryable = Db | Tx;

export interface Database {
  db: Db;
  /**
   * Where request nonces go. On PostgreSQL a separate pool with synchronous_commit=off: a nonce write then
   * costs no WAL flush wait (the busiest write of all), at the price of losing the last fraction of a
   * second of nonces if PostgreSQL itself crashes. Credits and everything else stay fully durable.
   */
  nonceDb: Db;
  kind: 'pglite' | 'postgres';
  /** Round trip to the database, for /ready. */
  ping(): Promise<void>;
  close(): Promise<void>;
}

export const MIGRATIONS_FOLDER = fileURLToPath(new URL('../../drizzle', import.meta.url));

export interface DatabaseOptions {
  /** postgres:// URL; absent → embedded PGlite in dataDir. */
  databaseUrl?: string;
  dataDir?: string;
  poolSize?: number;
}

/** Opens the database and applies committed migrations. */
export async function openDatabase(options: DatabaseOptions): Promise<Database> {
  if (options.databaseUrl) return openPostgres(options.databaseUrl, options.poolSize ?? 4);
  return openPglite(resolve(options.dataDir ?? './server-data'));
}

async function openPostgres(url: string, max: number): Promise<Database> {
  const { default: pg } = await import('pg');
  const { drizzle } = await import('drizzle-orm/node-postgres');
  const { migrate } = await import('drizzle-orm/node-postgres/migrator');
  // Idle connections stay open (no idle timeout): opening one costs a SCRAM handshake, milliseconds of CPU on
  // both ends, and a pool emptied by a quiet spell would open them all at once at the next burst.
  const pool = new pg.Pool({ connectionString: url, max, idleTimeoutMillis: 0 });
  // Without a listener, an idle client dropped by the server (restart, failover) would crash the process.
  pool.on('error', (error) => console.error(`PostgreSQL pool: ${error.message}`));
  // Several server processes may start at once: serialise migrations with an advisory lock.
  const client = await pool.connect();
  try {
    await client.query('select pg_advisory_lock(872311)');
    await migrate(drizzle({ client, schema }), { migrationsFolder: MIGRATIONS_FOLDER });
  } catch (error) {
    client.release();
    await pool.end();
    throw error;
  }
  await client.query('select pg_advisory_unlock(872311)');
  client.release();
  const db = drizzle({ client: pool, schema }) as unknown as Db;
  const noncePool = new pg.Pool({
    connectionString: url,
    max: Math.max(2, Math.ceil(max / 2)),
    idleTimeoutMillis: 0,
    options: '-c synchronous_commit=off',
  });
  noncePool.on('error', (error) => console.error(`PostgreSQL nonce pool: ${error.message}`));
  return {
    db,
    nonceDb: drizzle({ client: noncePool, schema }) as unknown as Db,
    kind: 'postgres',
    ping: async () => {
      await pool.query('select 1');
    },
    close: async () => {
      await Promise.all([pool.end(), noncePool.end()]);
    },
  };
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * PGlite is single-process: two servers on one folder would corrupt it. A pid file claims the folder;
 * one left by a crashed process (pid no longer alive) is taken over.
 */
export function lockDataDir(dataDir: string): () => void {
  const file = join(dataDir, 'server.pid');
  try {
    writeFileSync(file, String(process.pid), { flag: 'wx' });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    const pid = Number(readFileSync(file, 'utf8').trim());
    if (pid && pid !== process.pid && isAlive(pid)) {
      throw new Error(
        `The data folder ${dataDir} is in use by server process ${pid}. The embedded database allows one process ` +
          'per folder: stop that server (the admin CLI talks to it over HTTP) or set VMP_SERVER_DATA to another folder.',
      );
    }
    writeFileSync(file, String(process.pid));
  }
  return () => rmSync(file, { force: true });
}

async function openPglite(dataDir: string): Promise<Database> {
  const { PGlite } = await import('@electric-sql/pglite');
  const { drizzle } = await import('drizzle-orm/pglite');
  const { migrate } = await import('drizzle-orm/pglite/migrator');
  mkdirSync(dataDir, { recursive: true });
  const unlock = lockDataDir(dataDir);
  let client: InstanceType<typeof PGlite>;
  try {
    client = await PGlite.create(resolve(dataDir, 'pgdata'));
  } catch (error) {
    unlock();
    throw error;
  }
  const pdb = drizzle({ client, schema });
  await migrate(pdb, { migrationsFolder: MIGRATIONS_FOLDER });
  return {
    db: pdb as unknown as Db,
    nonceDb: pdb as unknown as Db,
    kind: 'pglite',
    ping: async () => {
      await client.query('select 1');
    },
    close: async () => {
      await client.close();
      unlock();
    },
  };
}

const preparedCache = new WeakMap<Db, Map<string, unknown>>();

/**
 * A prepared statement per database handle, built on first use. Hot paths (machine lookup, nonce,
 * balance) skip PostgreSQL's parse and plan on every request this way.
 */
export function prepared<T>(db: Db, name: string, build: (db: Db, name: string) => T): T {
  let byName = preparedCache.get(db);
  if (!byName) {
    byName = new Map();
    preparedCache.set(db, byName);
  }
  let statement = byName.get(name) as T | undefined;
  if (!statement) {
    statement = build(db, name);
    byName.set(name, statement);
  }
  return statement;
}
