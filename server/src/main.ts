import cluster from 'node:cluster';
import { createPrivateKey, type JsonWebKeyInput } from 'node:crypto';
import { parseArgs } from 'node:util';
import { eq } from 'drizzle-orm';
import { buildApp } from './app.ts';
import { supervise, workersProblem } from './cluster.ts';
import { loadConfig } from './config.ts';
import { type Database, openDatabase } from './db/index.ts';
import { serverKeys } from './db/schema.ts';

let config: ReturnType<typeof loadConfig>;
let migrateOnly = false;
try {
  const { values } = parseArgs({ options: { workers: { type: 'string' }, 'migrate-only': { type: 'boolean' } } });
  config = loadConfig();
  migrateOnly = values['migrate-only'] === true;
  if (values.workers !== undefined) config.workers = Number(values.workers);
  const problem = workersProblem(config);
  if (problem) throw new Error(problem);
} catch (error) {
  console.error(`Video Mixer Pro server could not start: ${(error as Error).message}`);
  process.exit(2);
}

if (migrateOnly) await migrate();
else if (config.workers > 1 && cluster.isPrimary) supervise(config.workers);
else await serve();

/** `--migrate-only`: applies pending migrations (under the same advisory lock the server takes) and exits. */
async function migrate() {
  try {
    const database = await openDatabase({ databaseUrl: config.databaseUrl, dataDir: config.dataDir, poolSize: 1 });
    await database.close();
    console.log(JSON.stringify({ level: 30, time: Date.now(), pid: process.pid, msg: 'database migrations applied' }));
    process.exit(0);
  } catch (error) {
    console.error(`Video Mixer Pro server could not migrate the database: ${(error as Error).message}`);
    process.exit(1);
  }
}

/**
 * VMP_LEASE_SIGNING_KEY (an Ed25519 private JWK, e.g. from a Kubernetes Secret): the key leases are signed with.
 * An empty database takes it; one that already holds another key refuses to start, since leases already issued
 * were signed with that one.
 */
async function seedLeaseKey(database: Database, raw: string): Promise<void> {
  let jwk: { kty?: string; crv?: string; x?: string; d?: string };
  try {
    jwk = JSON.parse(raw);
    const key = createPrivateKey({ key: jwk as JsonWebKeyInput['key'], format: 'jwk' });
    if (key.asymmetricKeyType !== 'ed25519') throw new Error(`a ${key.asymmetricKeyType} key`);
  } catch (error) {
    throw new Error(
      `VMP_LEASE_SIGNING_KEY must be an Ed25519 private key as a JWK ({"kty":"OKP","crv":"Ed25519","x":…,"d":…}): ${(error as Error).message}.`,
    );
  }
  const value = { kty: 'OKP', crv: 'Ed25519', x: jwk.x, d: jwk.d };
  await database.db.insert(serverKeys).values({ id: 'lease-ed25519', value }).onConflictDoNothing();
  const [row] = await database.db.select().from(serverKeys).where(eq(serverKeys.id, 'lease-ed25519'));
  const stored = row?.value as { x?: string; d?: string } | undefined;
  if (stored?.x !== jwk.x || stored?.d !== jwk.d) {
    throw new Error(
      'VMP_LEASE_SIGNING_KEY differs from the lease signing key this database already holds (leases in use were ' +
        'signed with that one). Unset VMP_LEASE_SIGNING_KEY, or set it to the key in server_keys (id lease-ed25519).',
    );
  }
}

async function serve() {
  let app: Awaited<ReturnType<typeof buildApp>>;
  let ownDatabase: Database | undefined;
  try {
    const leaseKey = process.env.VMP_LEASE_SIGNING_KEY;
    if (leaseKey) {
      ownDatabase = await openDatabase({
        databaseUrl: config.databaseUrl,
        dataDir: config.dataDir,
        poolSize: config.dbPoolSize,
      });
      await seedLeaseKey(ownDatabase, leaseKey);
    }
    app = await buildApp({ config, ...(ownDatabase ? { database: ownDatabase } : {}) });
  } catch (error) {
    await ownDatabase?.close().catch(() => undefined);
    // Configuration or database problems: one clear line, not a stack trace.
    console.error(`Video Mixer Pro server could not start: ${(error as Error).message}`);
    process.exit(1);
  }

  let closing = false;
  async function shutdown(signal: string) {
    if (closing) return;
    closing = true;
    app.log.info({ signal }, 'shutting down');
    // Stop accepting connections, let in-flight requests finish, then close the database.
    const timer = setTimeout(() => {
      app.log.error('shutdown timed out');
      process.exit(1);
    }, 10_000);
    timer.unref();
    try {
      await app.close();
      await ownDatabase?.close();
      process.exit(0);
    } catch (error) {
      app.log.error({ err: error }, 'shutdown failed');
      process.exit(1);
    }
  }
  process.on('SIGINT', () => void shutdown('SIGINT'));
  process.on('SIGTERM', () => void shutdown('SIGTERM'));

  try {
    const address = await app.listen({ host: config.host, port: config.port });
    app.log.info(
      { address, database: app.ctx.database.kind, admin: Boolean(config.adminToken) },
      'Video Mixer Pro server listening',
    );
  } catch (error) {
    app.log.error({ err: error }, 'could not start');
    await app.close();
    process.exit(1);
  }
}
