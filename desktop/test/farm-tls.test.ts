// The farm over TLS with a password (rediss://): a private redis-server with a self-signed certificate.
import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { RenderSettings } from '@vmp/shared';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { mix } from '../src/engine/mix.ts';
import { makeSource } from '../src/engine/render/testing.ts';
import type { RenderSource } from '../src/engine/render/types.ts';
import { createFarmRenderer } from '../src/farm/submitter.ts';
import { type FarmWorker, startFarmWorker } from '../src/farm/worker.ts';
import { freePort } from './helpers/farm.ts';

let dir: string;
let redis: ChildProcess;
let port: number;
let sources: RenderSource[];

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'vmp-farm-tls-'));
  execFileSync('openssl', [
    'req',
    '-x509',
    '-newkey',
    'rsa:2048',
    '-nodes',
    '-keyout',
    join(dir, 'key.pem'),
    '-out',
    join(dir, 'cert.pem'),
    '-days',
    '2',
    '-subj',
    '/CN=localhost',
    '-addext',
    'subjectAltName=DNS:localhost',
  ]);
  port = await freePort();
  redis = spawn(
    'redis-server',
    [
      '--port',
      '0',
      '--tls-port',
      String(port),
      '--bind',
      '127.0.0.1',
      '--tls-cert-file',
      join(dir, 'cert.pem'),
      '--tls-key-file',
      join(dir, 'key.pem'),
      '--tls-ca-cert-file',
      join(dir, 'cert.pem'),
      '--tls-auth-clients',
      'no',
      '--requirepass',
      'p@ss word',
      '--save',
      '',
      '--dir',
      dir,
    ],
    { stdio: 'ignore' },
  );
  sources = [
    await makeSource(join(dir, 'share', 'clips'), 'a', { color: 'red', width: 160, height: 120, duration: 0.5 }),
    await makeSource(join(dir, 'share', 'clips'), 'b', { color: 'blue', width: 160, height: 120, duration: 0.5 }),
  ];
});

afterAll(async () => {
  redis.kill('SIGTERM');
  await once(redis, 'exit');
  await rm(dir, { recursive: true, force: true });
});

it('renders through rediss:// with a password, the server certificate checked against VMP_FARM_TLS_CA', async () => {
  const url = `rediss://:${encodeURIComponent('p@ss word')}@localhost:${port}`;
  const env = { ...process.env, VMP_FARM_TLS_CA: join(dir, 'cert.pem'), VMP_FARM_PREFIX: 'tls' };
  const lines: string[] = [];
  let worker: FarmWorker | undefined;
  try {
    worker = await startFarmWorker({
      url,
      concurrency: 1,
      pathMap: [],
      roots: [join(dir, 'share')],
      cacheDir: join(dir, 'share', 'cache'),
      log: (line) => lines.push(line),
      env,
    });
    const done: string[] = [];
    const farm = createFarmRenderer({ url, env });
    const outDir = join(dir, 'share', 'out');
    // The engine's own mix, with the farm as its renderer; the farm's onOutputDone hook, observed here.
    const result = await mix({
      renderer: {
        ...farm,
        renderBatch: (specs, opts) =>
          farm.renderBatch(specs, {
            ...opts,
            onOutputDone: (o) => {
              done.push(`${o.index}:${o.worker}`);
              opts?.onOutputDone?.(o);
            },
          }),
      },
      projectName: 'tls',
      sources,
      combinations: [{ index: 0, clipIds: ['a', 'b'] }],
      settings: RenderSettings.parse({ format: '1:1' }),
      outDir,
      cacheDir: join(dir, 'unused'),
    });
    expect(result.failed).toEqual([]);
    expect(result.outputs).toHaveLength(1);
    expect(farm.workerOf(result.outputs[0]!.path)).toBe(worker.name);
    expect(done).toEqual([`0:${worker.name}`]);
    expect(lines.join('\n')).not.toContain('p@ss');
  } finally {
    await worker?.close();
  }
});
