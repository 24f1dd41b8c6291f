import { readFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { resolve } from 'node:path';
import type { Jwks } from '@vmp/shared/http';
import { FarmUrlError, farmConnection } from '../farm/connection.ts';
import { type PathMapping, parsePathMapping } from '../farm/paths.ts';
import { workerTrustedKeys } from '../farm/trust/keys.ts';
import { startFarmWorker } from '../farm/worker.ts';
import { openStorage } from '../storage/index.ts';
import type { ObjectStorage } from '../storage/types.ts';
import { type CliCommand, EXIT_OK, parseOrUsage, UsageError } from './command.ts';
import { defaultCacheDir } from './mix.ts';

const USAGE = `Usage: vmp worker --farm redis://host:port --root <dir> [options]
       vmp worker --farm redis://host:port --storage s3://bucket/prefix [options]

  Takes render batches from the farm's queue (sent by "vmp mix --farm") and renders them with this machine's
  FFmpeg, reading clips and writing videos through the shared folder (--root, or a --path-map target), or,
  with --storage, through a bucket: no shared folder at all. Runs until stopped.

  Examples:
    vmp worker --farm redis://farm:6379 --root /mnt/share
    vmp worker --farm redis://:s3cret@farm:6379 --path-map /Volumes/Share=/mnt/share --cache-dir /mnt/share/.vmp-cache
    AWS_ENDPOINT_URL=http://minio:9000 vmp worker --farm redis://farm:6379 --storage s3://vmp-farm/agency

  --farm <url>           the farm's Redis: redis://[user:password@]host[:port][/db], rediss:// for TLS
                         (a password here shows in "ps": prefer --farm-url-file or $VMP_FARM_URL)
  --farm-url-file <file> read the farm URL from this file (first line); else $VMP_FARM_URL
  --concurrency N        batches (and FFmpeg processes) at once (default: CPU cores)
  --path-map A=B         a path the submitting machine names under A is under B here; repeatable
                         (e.g. --path-map /Volumes/Share=/mnt/share)
  --root <dir>           only read and write under this folder; repeatable (default: the --path-map targets)
  --cache-dir <dir>      normalised clips cache; in the shared folder, each clip is normalised once per farm
                         (default: $VMP_CACHE_DIR or the user cache folder). With --storage it also holds the
                         downloaded clips (farm-clips/) and the outputs until they are uploaded (farm-out/)
  --storage <url>        take jobs submitted with "vmp mix --farm URL --storage <url>" (the same URL):
                         s3://bucket/prefix; clips are downloaded from it (each checked against its content hash),
                         outputs uploaded to <prefix>/runs/<run>/outputs/, normalised clips shared in
                         <prefix>/cache/ (a clip is normalised once per farm). No --root needed. Endpoint, region
                         and credentials from AWS_ENDPOINT_URL, AWS_REGION, AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY
                         or AWS_PROFILE (path-style addressing with AWS_ENDPOINT_URL; never printed)
  --queue <name>         queue name (default: $VMP_FARM_QUEUE or vmp-render)
  --grace S              on SIGTERM/Ctrl-C, seconds to finish the current batches before handing them
                         back to the queue (default 30; a second signal quits at once)
  --trust-keys <file>    also accept leases signed by the keys in this JWKS file (a licensing server you run
                         or test against; default: $VMP_FARM_TRUST_KEYS, else only the built-in keys). Jobs from
                         machines without a lease these keys verify render with the watermark.

Exit code: 0 stopped; 2 bad usage.`;

export interface WorkerCliOptions {
  url: string;
  concurrency: number;
  pathMap: PathMapping[];
  roots: string[];
  cacheDir: string;
  storage?: ObjectStorage;
  queue?: string;
  graceSeconds: number;
  trustedKeys: Jwks;
}

function parseRaw(args: string[]) {
  return parseOrUsage({
    args,
    strict: true,
    allowPositionals: false,
    options: {
      farm: { type: 'string' },
      concurrency: { type: 'string', short: 'j' },
      'path-map': { type: 'string', multiple: true },
      root: { type: 'string', multiple: true },
      'cache-dir': { type: 'string' },
      queue: { type: 'string' },
      grace: { type: 'string' },
      'farm-url-file': { type: 'string' },
      'trust-keys': { type: 'string' },
      storage: { type: 'string' },
    },
  });
}

function wholeNumber(name: string, raw: string | undefined, min: number, max: number, fallback: number): number {
  if (raw === undefined) return fallback;
  const value = Number(raw);
  if (!/^\d+$/.test(raw.trim()) || value < min || value > max) {
    throw new UsageError(`--${name} must be a whole number from ${min} to ${max} (got "${raw}").`);
  }
  return value;
}

/** The farm URL from --farm, --farm-url-file or $VMP_FARM_URL (in that order), and where it came from. */
function farmUrlOf(
  v: { farm?: string | undefined; 'farm-url-file'?: string | undefined },
  env: NodeJS.ProcessEnv,
): { url: string; label: string } {
  if (v.farm) return { url: v.farm, label: '--farm' };
  const file = v['farm-url-file'];
  if (file) {
    let text: string;
    try {
      text = readFileSync(file, 'utf8');
    } catch (error) {
      throw new UsageError(`--farm-url-file "${file}" cannot be read (${(error as NodeJS.ErrnoException).code}).`);
    }
    const url = text.split(/\r?\n/)[0]!.trim();
    if (!url) throw new UsageError(`--farm-url-file "${file}" is empty: write the redis:// URL on its first line.`);
    return { url, label: `The URL in ${file}` };
  }
  if (env.VMP_FARM_URL) return { url: env.VMP_FARM_URL.trim(), label: 'VMP_FARM_URL' };
  throw new UsageError(
    '--farm <redis://host:port> is required (or --farm-url-file <file>, or $VMP_FARM_URL): the Redis the farm shares.',
  );
}

export function parseWorkerArgs(args: string[], env: NodeJS.ProcessEnv = process.env): WorkerCliOptions {
  const parsed = parseRaw(args);
  const v = parsed.values;
  const farm = farmUrlOf(v, env);
  try {
    farmConnection(farm.url, env, farm.label);
  } catch (error) {
    if (error instanceof FarmUrlError) throw new UsageError(error.message);
    throw error;
  }
  let trustedKeys: Jwks;
  try {
    trustedKeys = workerTrustedKeys(v['trust-keys'] ?? (env.VMP_FARM_TRUST_KEYS || undefined), env);
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
  let pathMap: PathMapping[];
  try {
    pathMap = (v['path-map'] ?? []).map(parsePathMapping);
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
  const roots = (v.root?.length ? v.root : pathMap.map((m) => m.to)).map((r) => resolve(r));
  let storage: ObjectStorage | undefined;
  if (v.storage !== undefined) {
    if (!v.storage.startsWith('s3://')) {
      throw new UsageError(`--storage must be s3://bucket/prefix (got "${v.storage}").`);
    }
    try {
      storage = openStorage(v.storage, env);
    } catch (error) {
      throw new UsageError((error as Error).message);
    }
  }
  if (roots.length === 0 && !storage) {
    throw new UsageError(
      'Give the shared folder this worker may use: --root <dir> or --path-map A=B (its target becomes the root), or the bucket: --storage s3://bucket/prefix.',
    );
  }
  return {
    url: farm.url,
    trustedKeys,
    concurrency: wholeNumber('concurrency', v.concurrency, 1, 64, Math.max(1, availableParallelism())),
    pathMap,
    roots,
    cacheDir: v['cache-dir'] ? resolve(v['cache-dir']) : defaultCacheDir(env),
    ...(storage ? { storage } : {}),
    ...(v.queue ? { queue: v.queue } : {}),
    graceSeconds: wholeNumber('grace', v.grace, 0, 86_400, 30),
  };
}

export const workerCommand: CliCommand = {
  usage: USAGE,
  async run(args, io) {
    const options = parseWorkerArgs(args);
    const log = (line: string) => io.stderr.write(`${new Date().toISOString()} ${line}\n`);
    const worker = await startFarmWorker({ ...options, log });
    await new Promise<void>((done) => {
      if (io.signal.aborted) done();
      else io.signal.addEventListener('abort', () => done(), { once: true });
    });
    log(`${worker.name}: stopping; finishing current batches (up to ${options.graceSeconds} s)`);
    let timer: NodeJS.Timeout | undefined;
    const finished = await Promise.race([
      worker.close().then(() => true),
      new Promise<false>((done) => {
        timer = setTimeout(() => done(false), options.graceSeconds * 1000);
      }),
    ]);
    clearTimeout(timer);
    if (!finished) {
      log(`${worker.name}: handing the current batches back to the queue`);
      await worker.handBack();
    }
    log(`${worker.name}: stopped`);
    return EXIT_OK;
  },
};
