import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Core, createCore } from '../../src/core/core.ts';
import { startHost } from '../../src/host/index.ts';
import { makeClip } from '../fixtures/media.ts';
import { call } from '../helpers/core.ts';
import { ensureRendererBuilt, launchBrowser, screenshot, tempDir, until } from './helpers.ts';
import { customer, freePort, type ServerProcess, startServerProcess } from './server-process.ts';

// Two machines (two data folders, two fingerprints) share projects through the real server: a project travels,
// its media does not (missing + relink), both sides editing makes a conflict the user settles, a delete travels.
let dir: string;
let server: ServerProcess;
let laptop: Core;
let desk: Core;
let closeDesk: () => Promise<void> = async () => {};

function machine(name: string): Core {
  return createCore({
    dataDir: join(dir, name),
    defaultOutputDir: join(dir, `${name}-outputs`),
    licensing: {
      machineId: `m1-e2e-sync-${name}`,
      background: false,
      env: {
        VMP_SERVER_URL: server.url,
        VMP_TRUST_SERVER_KEYS: 'dev',
        VMP_SECRET_STORE: 'key-file',
        VMP_KEY_DIR: join(dir, `${name}-keys`),
      },
    },
  });
}

beforeAll(async () => {
  await ensureRendererBuilt();
  dir = await tempDir('licensing-sync');
  server = await startServerProcess({ dataDir: join(dir, 'server'), port: await freePort() });
  const user = await customer(server.url, { maxActivations: 2 });
  laptop = machine('laptop');
  desk = machine('desk');
  closeDesk = () => desk.close();
  for (const core of [laptop, desk]) {
    expect((await call(core, 'license.activate', { licenseKey: user.licenseKey })).state).toBe('active');
  }
}, 180_000);

afterAll(async () => {
  await laptop?.close();
  await closeDesk();
  await server?.stop();
  if (dir) await rm(dir, { recursive: true, force: true });
});

describe('project sync between two machines', () => {
  it('sends a project, its groups and clip membership, but not its media', async () => {
    const project = await call(laptop, 'projects.create', { name: 'Trip' });
    const detail = await call(laptop, 'projects.get', { projectId: project.id });
    const clip = await makeClip(join(dir, 'laptop-clips'), 'beach', { color: 'blue', duration: 1 });
    await call(laptop, 'clips.import', { projectId: project.id, paths: [clip], groupId: detail.groups[0]!.id });
    expect((await call(laptop, 'sync.now', {})).projects).toEqual([
      { projectId: project.id, state: 'synced', version: 1 },
    ]);
    await call(desk, 'sync.now', {});
    const [copy] = await call(desk, 'projects.list', {});
    expect(copy).toMatchObject({ name: 'Trip', clipCount: 1 });
    const there = await call(desk, 'projects.get', { projectId: copy!.id });
    expect(there.groups.map((g) => [g.name, g.clipIds.length])).toEqual([
      ['Hook', 1],
      ['Body', 0],
      ['Call to action', 0],
    ]);
    expect(there.clips[0]).toMatchObject({ name: 'beach.mp4', status: 'missing' });
    expect(there.clips[0]!.problems[0]!.message).toMatch(/relink/);
    // Relinking to a file on this machine makes it usable.
    const local = await makeClip(join(dir, 'desk-clips'), 'beach', { color: 'blue', duration: 1 });
    expect((await call(desk, 'clips.relink', { clipId: there.clips[0]!.id, path: local })).status).toBe('ok');
    await call(desk, 'sync.now', {});
    await call(laptop, 'sync.now', {});
  }, 120_000);

  it('never overwrites silently: both sides renamed, the user keeps one', async () => {
    const [mine] = await call(laptop, 'projects.list', {});
    const [theirs] = await call(desk, 'projects.list', {});
    await call(laptop, 'projects.update', { projectId: mine!.id, name: 'Trip (laptop)' });
    await call(desk, 'projects.update', { projectId: theirs!.id, name: 'Trip (desk)' });
    await call(laptop, 'sync.now', {});
    const status = await call(desk, 'sync.now', {});
    expect(status.conflicts).toEqual([
      {
        projectId: theirs!.id,
        mine: { name: 'Trip (desk)', modifiedAt: expect.any(Number) },
        theirs: { name: 'Trip (laptop)', modifiedAt: expect.any(Number), deleted: false },
      },
    ]);
    expect((await call(desk, 'projects.get', { projectId: theirs!.id })).project.name).toBe('Trip (desk)');

    // The desk's UI shows both versions and asks.
    const host = await startHost({ core: desk, dataDir: desk.dataDir, port: 0, host: '127.0.0.1' });
    closeDesk = () => host.close();
    const browser = await launchBrowser();
    try {
      const page = browser.page;
      await page.goto(host.url);
      const dialog = page.getByRole('dialog', { name: 'This project changed on two machines' });
      await dialog.waitFor();
      expect(await dialog.getByTestId('conflict').textContent()).toMatch(/Trip \(desk\).*Trip \(laptop\)/);
      await screenshot(page, 'licensing-5-sync-conflict');
      await dialog.getByRole('button', { name: 'Keep mine' }).click();
      await until(async () => (await page.getByRole('dialog').count()) === 0, 'the dialog to close');
    } finally {
      await browser.close();
    }
    expect((await call(desk, 'sync.status', {})).conflicts).toEqual([]);
    await call(laptop, 'sync.now', {});
    expect((await call(laptop, 'projects.get', { projectId: mine!.id })).project.name).toBe('Trip (desk)');
  }, 120_000);

  it('propagates a delete as a tombstone', async () => {
    const [mine] = await call(laptop, 'projects.list', {});
    await call(desk, 'sync.now', {});
    await call(laptop, 'projects.delete', { projectId: mine!.id });
    await call(laptop, 'sync.now', {});
    await call(desk, 'sync.now', {});
    expect(await call(desk, 'projects.list', {})).toEqual([]);
  }, 60_000);
});
