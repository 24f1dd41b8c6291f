import cluster, { type Worker } from 'node:cluster';
import type { ServerConfig } from './config.ts';

/** Why this configuration cannot run `workers` processes, or undefined when it can. */
export function workersProblem(config: Pick<ServerConfig, 'workers' | 'databaseUrl' | 'redisUrl'>): string | undefined {
  if (!Number.isInteger(config.workers) || config.workers < 1) {
    return `--workers / VMP_SERVER_WORKERS must be a whole number of at least 1, got ${config.workers}.`;
  }
  if (config.workers === 1) return undefined;
  if (!config.databaseUrl) {
    return `${config.workers} workers need PostgreSQL (DATABASE_URL): the embedded PGlite allows one process.`;
  }
  if (!config.redisUrl) {
    return `${config.workers} workers need REDIS_URL: without it each process counts rate limits on its own, so every limit would be ${config.workers} times as high.`;
  }
  return undefined;
}

function log(level: 'info' | 'warn' | 'error', msg: string, fields: Record<string, unknown> = {}): void {
  // The workers log pino JSON; the primary writes the same shape.
  const levels = { info: 30, warn: 40, error: 50 };
  console.log(JSON.stringify({ level: levels[level], time: Date.now(), pid: process.pid, ...fields, msg }));
}

/**
 * The primary of `--workers N`: forks N processes that each run the whole server on the shared port (node:cluster
 * hands them connections in turn). A worker that dies after it was serving is replaced; one that dies before it
 * listened (configuration, database) stops everything with its exit code. SIGINT/SIGTERM shut the workers down
 * gracefully, each as a single server would.
 */
export function supervise(workers: number): void {
  let stopping = false;
  let exitCode = 0;
  const listening = new WeakSet<Worker>();
  const fork = () => {
    const worker = cluster.fork();
    worker.on('listening', () => listening.add(worker));
    return worker;
  };
  log('info', `Video Mixer Pro server: starting ${workers} worker processes`, { workers });
  for (let i = 0; i < workers; i++) fork();

  cluster.on('exit', (worker, code, signal) => {
    if (stopping) {
      if (Object.keys(cluster.workers ?? {}).length === 0) process.exit(exitCode);
      return;
    }
    if (!listening.has(worker)) {
      log('error', 'a worker stopped before it could serve; stopping', { worker: worker.process.pid, code });
      stop(code || 1);
      return;
    }
    log('warn', 'a worker stopped; starting another', { worker: worker.process.pid, code, signal });
    fork();
  });

  const stop = (code = 0) => {
    if (stopping) return;
    stopping = true;
    exitCode = code;
    const timer = setTimeout(() => {
      log('error', 'workers did not stop in time');
      process.exit(1);
    }, 12_000);
    timer.unref();
    const alive = Object.values(cluster.workers ?? {});
    if (alive.length === 0) process.exit(exitCode);
    for (const worker of alive) worker?.process.kill('SIGTERM');
  };
  process.on('SIGINT', () => stop());
  process.on('SIGTERM', () => stop());
}
