import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Core, createCore } from '../../desktop/src/core/core.ts';
import { dispatch } from '../../desktop/src/core/dispatch.ts';
import { bearer, createLicense, registerUser, startApp, type TestUser } from './helpers.ts';

// A pulled project document is untrusted input (issue 18, items 11 and 12): the app's core against the real server.
let app: FastifyInstance;
let url: string;
let user: TestUser;
let core: Core;
const dir = mkdtempSync(join(tmpdir(), 'vmp-sync-trust-'));

async function call(method: string, input: unknown) {
  const result = await dispatch(core, method, input);
  if (!result.ok) throw Object.assign(new Error(result.error.message), result.error);
  return result.output as Record<string, unknown>;
}
const put = (id: string, doc: unknown) =>
  app.inject({ method: 'PUT', url: `/v1/projects/${id}`, headers: bearer(user), payload: { doc } });

const hash = (c: string) => c.repeat(64);
const goodDoc = {
  schema: 1,
  name: 'Pulled',
  mode: 'manual',
  settings: { watermark: 'INJECTED WATERMARK', audio: { mode: 'music', musicPath: '/etc/passwd' } },
  clips: [{ hash: hash('a'), name: '../../../etc/passwd', size: 10, info: null }],
  groups: [{ name: 'Hooks', clips: [hash('a')] }],
  rules: [],
  modifiedAt: Date.now(),
};

beforeAll(async () => {
  app = await startApp();
  url = await app.listen({ host: '127.0.0.1', port: 0 });
  user = await registerUser(app);
  const license = await createLicense(app, user.email);
  core = createCore({
    dataDir: join(dir, 'data'),
    defaultOutputDir: join(dir, 'out'),
    licensing: {
      machineId: 'm-sync-trust-1',
      background: false,
      env: {
        VMP_SERVER_URL: url,
        VMP_TRUST_SERVER_KEYS: 'dev',
        VMP_SECRET_STORE: 'key-file',
        VMP_KEY_DIR: join(dir, 'keys'),
      },
    },
  });
  expect((await call('license.activate', { licenseKey: license.licenseKey })).state).toBe('active');
});
afterAll(async () => {
  await core?.close();
  await app.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('pulling documents', () => {
  it('a bad document is skipped and reported by name; the rest apply and the cursor moves on (item 11)', async () => {
    expect((await put('x', { hello: 'world' })).statusCode).toBeLessThan(300);
    expect(
      (await put('broken', { schema: 1, name: 'Broken one', mode: 'manual', clips: 'no' })).statusCode,
    ).toBeLessThan(300);
    expect((await put('good', goodDoc)).statusCode).toBeLessThan(300);

    const status = (await call('sync.now', {})) as { lastError: string | null; rejected?: unknown[] };
    expect(status.lastError).toBeNull();
    expect(status.rejected).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ projectId: 'x', name: null }),
        expect.objectContaining({ projectId: 'broken', name: 'Broken one' }),
      ]),
    );
    const projects = (await call('projects.list', {})) as unknown as { name: string }[];
    expect(projects.map((p) => p.name)).toContain('Pulled');
    // Again: nothing fails, the bad ones stay reported.
    const again = (await call('sync.now', {})) as { lastError: string | null; rejected?: unknown[] };
    expect(again.lastError).toBeNull();
    expect(again.rejected).toHaveLength(2);
  });

  it('a synced clip name never becomes a path, and watermark text and music path are not taken (item 12)', async () => {
    const projects = (await call('projects.list', {})) as unknown as { id: string; name: string }[];
    const pulled = projects.find((p) => p.name === 'Pulled')!;
    const detail = (await call('projects.get', { projectId: pulled.id })) as {
      clips: { path: string; name: string; status: string }[];
      project: { settings: { watermark?: string | null; audio: { musicPath?: string } } };
    };
    const clip = detail.clips[0]!;
    expect(clip.status).toBe('missing');
    expect(clip.path.startsWith(join(dir, 'data'))).toBe(true);
    expect(clip.path).not.toContain('..');
    expect(clip.path).not.toContain('etc');
    expect(detail.project.settings.watermark ?? null).toBeNull();
    expect(detail.project.settings.audio.musicPath).toBeUndefined();
  });
});

describe('names and text the server cannot store', () => {
  it('the app refuses NUL in a project name, as the server does (item 12)', async () => {
    const result = await dispatch(core, 'projects.create', { name: 'a\u0000b' });
    expect(result).toMatchObject({
      ok: false,
      error: { code: 'VALIDATION_ERROR', message: expect.stringMatching(/NUL/) },
    });
  });

  it('a lone UTF-16 surrogate in a document is answered 422, not 500 (item 12)', async () => {
    const res = await put('surrogate', { ...goodDoc, name: 'bad \ud800 name' });
    expect(res.statusCode).toBe(422);
    expect(res.json().error.message).toMatch(/surrogate/i);
  });
});
