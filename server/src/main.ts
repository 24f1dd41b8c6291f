import cluster from 'node:cluster';
import { parseArgs } from 'node:util';
import { buildApp } from './app.ts';
import { supervise, workersProblem } from './cluster.ts';
import { loadConfig } from './config.ts';
import { openDatabase } from './db/index.ts';

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

async function serve() {
  let app: Awaited<ReturnType<typeof buildApp>>;
  try {
    app = await buildApp({ config });
  } catch (error) {
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
