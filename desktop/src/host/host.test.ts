import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ApiEvent, ImportResult, Job, Output, Project } from '@vmp/shared/api';
import { HOST_PATHS } from '@vmp/shared/api';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeClip } from '../../test/fixtures/media.ts';
import { SocketClient } from '../../test/helpers/ws-client.ts';
import { type RunningHost, startHost } from './server.ts';

interface Reply {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: Buffer;
}

/** Plain node:http request, so tests control every header (Host, Origin, Range, Cookie). */
function http(
  url: string,
  options: { method?: string; headers?: Record<string, string>; body?: Buffer } = {},
): Promise<Reply> {
  return new Promise((resolve, reject) => {
    const req = request(url, { method: options.method ?? 'GET', headers: options.headers ?? {} }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) }));
    });
    req.on('error', reject);
    req.end(options.body);
  });
}

const json = <T>(reply: Reply) => JSON.parse(reply.body.toString('utf8')) as T;

let root: string;
let host: RunningHost;
let client: SocketClient;
let clipFile: string;
const socketUrl = () => `${host.url.replace('http', 'ws').replace(/\/$/, '')}${HOST_PATHS.socket}`;

beforeAll(async () => {
  root = mkdtempSync(join(tmpdir(), 'vmp-host-'));
  const rendererDir = join(root, 'renderer');
  mkdirSync(join(rendererDir, 'assets'), { recursive: true });
  writeFileSync(
    join(rendererDir, 'index.html'),
    '<!doctype html><title>VMP</title><script src="./assets/app.js"></script>',
  );
  writeFileSync(join(rendererDir, 'assets', 'app.js'), 'console.log(1)');
  clipFile = await makeClip(join(root, 'src'), 'hook', { color: 'red', duration: 0.5 });
  host = await startHost({ dataDir: join(root, 'data'), defaultOutputDir: join(root, 'out'), port: 0, rendererDir });
  client = await SocketClient.connect(socketUrl());
});

afterAll(async () => {
  client?.close();
  await host?.close();
  rmSync(root, { recursive: true, force: true });
});

describe('browser host on loopback', () => {
  it('serves the renderer with a strict CSP, SPA fallback and 404 for missing assets', async () => {
    const index = await http(host.url);
    expect(index.status).toBe(200);
    expect(index.headers['content-security-policy']).toMatch(/script-src 'self'/);
    expect(index.body.toString()).toContain('<title>VMP</title>');
    expect((await http(`${host.url}assets/app.js`)).headers['content-type']).toMatch(/javascript/);
    expect((await http(`${host.url}projects/123`)).body.toString()).toContain('<title>VMP</title>');
    expect((await http(`${host.url}assets/nope.js`)).status).toBe(404);
    expect((await http(`${host.url}..%2f..%2fdata%2fvmp.sqlite`)).status).toBe(404);
  });

  it('answers calls over the WebSocket, with validation errors naming the field, and pushes events', async () => {
    const info = await client.ok<{ transport: string; capabilities: { upload: boolean } }>('app.info', {});
    // This client is on loopback: it may import by path (the host's files are its files).
    expect(info).toMatchObject({ transport: 'browser', capabilities: { upload: true, localPaths: true } });
    const bad = await client.call('projects.create', { name: '' });
    expect(bad).toMatchObject({
      ok: false,
      error: { code: 'VALIDATION_ERROR', message: expect.stringMatching(/name/) },
    });
    client.send('not json');
    const other = await SocketClient.connect(socketUrl());
    const changed = other.events.next((e) => e.type === 'projects.changed');
    await client.ok<Project>('projects.create', { name: 'Other' });
    await changed; // Events reach every connected client, not just the caller.
    other.close();
    expect(client.raw.some((r) => r.id === -1 && !r.ok)).toBe(true);
  });

  /** A new auto-mode project with the test clip uploaded as "my clip.mp4". */
  async function uploadedProject(name: string) {
    const project = await client.ok<Project>('projects.create', { name, mode: 'auto' });
    const body = readFileSync(clipFile);
    const reply = await http(
      `${host.url.slice(0, -1)}${HOST_PATHS.upload}?projectId=${project.id}&name=${encodeURIComponent('my clip.mp4')}`,
      {
        method: 'POST',
        headers: { 'content-type': 'application/octet-stream', 'content-length': String(body.length) },
        body,
      },
    );
    expect(reply.status).toBe(200);
    // Where the time went: receiving, then analysing (Server-Timing, read by scripts/bench/upload.ts).
    expect(reply.headers['server-timing']).toMatch(/^receive;dur=[\d.]+, import;dur=[\d.]+$/);
    return { project, body, imported: json<ImportResult>(reply) };
  }

  it('takes an upload streamed into the project media folder and imports it', async () => {
    const { project, body, imported } = await uploadedProject('Upload');
    expect(imported.clips).toHaveLength(1);
    expect(imported.clips[0]).toMatchObject({ name: 'my clip.mp4', status: 'ok', hasThumbnail: true });
    expect(imported.clips[0]!.path).toBe(join(host.core.mediaDir(project.id), 'my clip.mp4'));
    expect(readFileSync(imported.clips[0]!.path).equals(body)).toBe(true);
  });

  it('refuses an upload over the limit with 413 naming the file and the limit', async () => {
    const project = await client.ok<Project>('projects.create', { name: 'Too big', mode: 'auto' });
    const { maxClipBytes } = await client.ok<{ maxClipBytes: number }>('app.getSettings', {});
    await client.ok('app.updateSettings', { maxClipBytes: 1000 });
    try {
      await refusesOverLimit(project);
    } finally {
      await client.ok('app.updateSettings', { maxClipBytes });
    }
  });

  async function refusesOverLimit(project: Project) {
    const body = Buffer.alloc(5000);
    const reply = await http(`${host.url.slice(0, -1)}${HOST_PATHS.upload}?projectId=${project.id}&name=big.mp4`, {
      method: 'POST',
      headers: { 'content-length': String(body.length) },
      body,
    });
    expect(reply.status).toBe(413);
    const error = json<{ error: { code: string; message: string } }>(reply).error;
    expect(error.code).toBe('PAYLOAD_TOO_LARGE');
    expect(error.message).toMatch(/"big.mp4" is larger than the upload limit .*1000 bytes/);
    // Without a declared length the limit is enforced while streaming; no partial file stays behind.
    const chunked = await new Promise<number>((resolve, reject) => {
      const req = request(
        `${host.url.slice(0, -1)}${HOST_PATHS.upload}?projectId=${project.id}&name=stream.mp4`,
        { method: 'POST', headers: { 'transfer-encoding': 'chunked' } },
        (res) => {
          res.resume();
          resolve(res.statusCode ?? 0);
        },
      );
      req.on('error', reject);
      req.write(Buffer.alloc(800));
      req.write(Buffer.alloc(800));
      req.end();
    });
    expect(chunked).toBe(413);
    const media = host.core.mediaDir(project.id);
    expect(existsSync(media) ? readdirSync(media) : []).toEqual([]);
  }

  it('answers an upload to a project that cannot be loaded with the error of its cause', async () => {
    const upload = (query: string) =>
      http(`${host.url.slice(0, -1)}${HOST_PATHS.upload}?${query}`, { method: 'POST', body: Buffer.alloc(10) });
    const missing = await upload('projectId=nope&name=a.mp4');
    expect(missing.status).toBe(404);
    expect(json<{ error: { code: string } }>(missing).error.code).toBe('NOT_FOUND');
    // No project id at all is a validation error naming the field, not "not found".
    const invalid = await upload('name=a.mp4');
    expect(invalid.status).toBe(422);
    expect(json<{ error: { code: string; message: string } }>(invalid).error).toMatchObject({
      code: 'VALIDATION_ERROR',
      message: expect.stringMatching(/projectId/),
    });
  });

  it('takes four uploads of the same file name at once, each under its own name', async () => {
    const project = await client.ok<Project>('projects.create', { name: 'Same name', mode: 'auto' });
    const body = readFileSync(clipFile);
    const replies = await Promise.all(
      Array.from({ length: 4 }, () =>
        http(`${host.url.slice(0, -1)}${HOST_PATHS.upload}?projectId=${project.id}&name=same.mp4`, {
          method: 'POST',
          headers: { 'content-type': 'application/octet-stream', 'content-length': String(body.length) },
          body,
        }),
      ),
    );
    expect(replies.map((r) => r.status)).toEqual([200, 200, 200, 200]);
    const paths = replies.map((r) => json<ImportResult>(r).clips[0]!.path);
    expect(new Set(paths).size).toBe(4);
    const media = host.core.mediaDir(project.id);
    expect(readdirSync(media).sort()).toEqual(['same-2.mp4', 'same-3.mp4', 'same-4.mp4', 'same.mp4']);
    for (const path of paths) expect(readFileSync(path).equals(body)).toBe(true);
  });

  it('serves thumbnails, and outputs with HTTP Range after a real render', async () => {
    const { project, imported } = await uploadedProject('Serve');
    const thumb = await http(`${host.url.slice(0, -1)}${HOST_PATHS.thumbnail(imported.clips[0]!.id)}`);
    expect(thumb.status).toBe(200);
    expect(thumb.headers['content-type']).toBe('image/jpeg');
    expect(thumb.body.subarray(0, 2).toString('hex')).toBe('ffd8');
    expect((await http(`${host.url.slice(0, -1)}${HOST_PATHS.thumbnail('nope')}`)).status).toBe(404);

    await client.ok('projects.update', {
      projectId: project.id,
      settings: { clipsPerOutput: 1, format: '1:1', fps: 15 },
    });
    const job = await client.ok<Job>('jobs.start', { projectId: project.id });
    await client.events.some(
      (e: ApiEvent) => e.type === 'job.updated' && e.job.id === job.id && e.job.status === 'completed',
    );
    const { items } = await client.ok<{ items: Output[] }>('outputs.list', { jobId: job.id });
    const url = `${host.url.slice(0, -1)}${HOST_PATHS.output(items[0]!.id)}`;
    const full = await http(url);
    expect(full.status).toBe(200);
    expect(full.headers['accept-ranges']).toBe('bytes');
    const part = await http(url, { headers: { range: 'bytes=0-99' } });
    expect(part.status).toBe(206);
    expect(part.headers['content-range']).toBe(`bytes 0-99/${full.body.length}`);
    expect(part.body.equals(full.body.subarray(0, 100))).toBe(true);
    expect((await http(url, { headers: { range: `bytes=${full.body.length}-` } })).status).toBe(416);
    const still = await http(`${host.url.slice(0, -1)}${HOST_PATHS.outputThumbnail(items[0]!.id)}`);
    expect(still.status).toBe(200);
    expect(still.headers['content-type']).toBe('image/jpeg');
  });

  it('refuses WebSocket upgrades from another origin and requests addressed to another host name', async () => {
    await expect(SocketClient.connect(socketUrl(), { origin: 'http://evil.example' })).rejects.toThrow(/HTTP 403/);
    const same = await SocketClient.connect(socketUrl(), { origin: host.url.slice(0, -1) });
    same.close();
    const rebound = await http(host.url, { headers: { host: `evil.example:${host.port}` } });
    expect(rebound.status).toBe(403);
  });
});

describe('browser host with a token on a non-loopback address', () => {
  it('refuses to start without a token', async () => {
    await expect(startHost({ dataDir: join(root, 'nope'), host: '0.0.0.0', port: 0 })).rejects.toThrow(
      /Refusing to listen on 0.0.0.0 without a token/,
    );
  });

  it('requires the token on every HTTP and WebSocket request; ?token= sets a cookie', async () => {
    const token = 'correct-horse-battery';
    const secured = await startHost({
      dataDir: join(root, 'data-token'),
      defaultOutputDir: join(root, 'out'),
      host: '0.0.0.0',
      port: 0,
      token,
      rendererDir: join(root, 'renderer'),
    });
    try {
      const base = `http://127.0.0.1:${secured.port}`;
      expect((await http(`${base}/`)).status).toBe(401);
      expect((await http(`${base}${HOST_PATHS.thumbnail('x')}`)).status).toBe(401);
      expect((await http(`${base}/?token=wrong-token-value`)).status).toBe(401);
      const first = await http(secured.openUrl.replace('127.0.0.1', '127.0.0.1'));
      expect(first.status).toBe(303);
      const cookie = String(first.headers['set-cookie']).split(';')[0]!;
      expect(cookie).toBe(`vmp_token=${token}`);
      expect((await http(`${base}/`, { headers: { cookie } })).status).toBe(200);
      expect((await http(`${base}/`, { headers: { authorization: `Bearer ${token}` } })).status).toBe(200);
      const ws = `ws://127.0.0.1:${secured.port}${HOST_PATHS.socket}`;
      await expect(SocketClient.connect(ws)).rejects.toThrow(/HTTP 401/);
      const authed = await SocketClient.connect(ws, { cookie });
      expect(await authed.ok('queue.state', {})).toMatchObject({ paused: false });
      authed.close();
    } finally {
      await secured.close();
    }
  });

  it('answers a page saying how to build the renderer when it is missing', async () => {
    const bare = await startHost({ dataDir: join(root, 'data-bare'), port: 0, rendererDir: join(root, 'no-renderer') });
    try {
      const page = await http(bare.url);
      expect(page.status).toBe(503);
      expect(page.body.toString()).toContain('npm run build:renderer -w desktop');
    } finally {
      await bare.close();
    }
  });
});
