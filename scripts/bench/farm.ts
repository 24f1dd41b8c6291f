// The farm line of `npm run bench`: the same outputs rendered through BullMQ by 1 and then 2 local `vmp worker`
// processes (one FFmpeg each), on a private redis-server, warm normalise cache; each right after a local mix with as
// many FFmpeg processes, the baseline measured under the same load. Wall time only: the workers' CPU is not this
// process's until they exit (and then includes their start-up).
import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdir, rm } from 'node:fs/promises';
import { createServer } from 'node:net';
import { join, resolve } from 'node:path';
import type { Combination, RenderSettings } from '@vmp/shared';
import { mix } from '../../desktop/src/engine/mix.ts';
import type { RenderSource } from '../../desktop/src/engine/render/types.ts';
import { createFarmRenderer } from '../../desktop/src/farm/submitter.ts';
import { timed } from './report.ts';

const BIN = resolve('desktop/bin/vmp.mjs');

async function freePort(): Promise<number> {
  const server = createServer().listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as { port: number };
  server.close();
  return port;
}

async function startWorker(url: string, root: string, cacheDir: string, env: NodeJS.ProcessEnv): Promise<ChildProcess> {
  const child = spawn(
    process.execPath,
    [BIN, 'worker', '--farm', url, '--root', root, '--cache-dir', cacheDir, '-j', '1'],
    {
      env: { ...process.env, ...env },
      stdio: ['ignore', 'ignore', 'pipe'],
    },
  );
  let log = '';
  await new Promise<void>((ready, fail) => {
    child.stderr!.on('data', (c: Buffer) => {
      log += c.toString();
      if (log.includes('waiting for render batches')) ready();
    });
    child.once('exit', () => fail(new Error(`vmp worker exited:\n${log}`)));
  });
  return child;
}

export async function benchFarm(input: {
  work: string;
  sources: RenderSource[];
  combinations: Combination[];
  settings: RenderSettings;
  cacheDir: string;
}): Promise<{ workers: number; ms: number; localMs: number }[]> {
  const port = await freePort();
  const redisDir = join(input.work, 'farm-redis');
  await mkdir(redisDir, { recursive: true });
  const redis = spawn(
    'redis-server',
    ['--port', String(port), '--bind', '127.0.0.1', '--dir', redisDir, '--save', ''],
    {
      stdio: 'ignore',
    },
  );
  await new Promise((r) => setTimeout(r, 500));
  const url = `redis://127.0.0.1:${port}`;
  const results: { workers: number; ms: number; localMs: number }[] = [];
  try {
    for (const count of [1, 2]) {
      const env = { VMP_FARM_PREFIX: `bench${count}` };
      const workers = await Promise.all(
        Array.from({ length: count }, () => startWorker(url, input.work, input.cacheDir, env)),
      );
      const localDir = join(input.work, `farm-local-${count}`);
      await rm(localDir, { recursive: true, force: true });
      const local = await timed(() => mix({ ...input, projectName: 'bench', outDir: localDir, concurrency: count }));
      const outDir = join(input.work, `farm-${count}`);
      await rm(outDir, { recursive: true, force: true });
      const run = await timed(() =>
        mix({
          ...input,
          projectName: 'bench',
          outDir,
          renderer: createFarmRenderer({ url, env: { ...process.env, ...env } }),
        }),
      );
      for (const w of workers) w.kill('SIGTERM');
      await Promise.all(workers.map((w) => once(w, 'exit')));
      if (run.value.failed.length) throw run.value.failed[0]!.error;
      results.push({ workers: count, ms: run.ms, localMs: local.ms });
    }
  } finally {
    redis.kill('SIGTERM');
    await once(redis, 'exit');
    await rm(redisDir, { recursive: true, force: true });
  }
  return results;
}
