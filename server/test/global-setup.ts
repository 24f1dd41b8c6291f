import { randomBytes } from 'node:crypto';
import pg from 'pg';
import type { TestProject } from 'vitest/node';
import { openDatabase } from '../src/db/index.ts';

declare module 'vitest' {
  export interface ProvidedContext {
    testDatabaseUrl: string;
  }
}

const DEFAULT_URL = 'postgres://postgres:postgres@127.0.0.1:5432/postgres';

/** Creates one fresh, migrated PostgreSQL database for this run and drops it afterwards. */
export default async function setup(project: TestProject) {
  const adminUrl = process.env.TEST_DATABASE_URL || DEFAULT_URL;
  const admin = new pg.Client({ connectionString: adminUrl, connectionTimeoutMillis: 5000 });
  try {
    await admin.connect();
  } catch (error) {
    throw new Error(
      `Server tests need PostgreSQL at ${adminUrl} (TEST_DATABASE_URL) but it is unreachable: ${(error as Error).message}. ` +
        'Start it with `bash scripts/test-deps.sh`.',
    );
  }
  const name = `vmp_test_${randomBytes(6).toString('hex')}`;
  await admin.query(`create database ${name}`);
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  // Migrate once here, so test files never race on migrations.
  const database = await openDatabase({ databaseUrl: url.toString(), poolSize: 1 });
  await database.close();
  project.provide('testDatabaseUrl', url.toString());

  return async () => {
    await admin.query(`drop database if exists ${name} with (force)`);
    await admin.end();
  };
}
