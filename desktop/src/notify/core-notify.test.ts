// The app core tells the user when a real job ends: its desktop hook and the notifyUrl webhook (local receiver).
import { mkdtempSync, rmSync } from 'node:fs';
import type { Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, expect, it } from 'vitest';
import { makeClip } from '../../test/fixtures/media.ts';
import { call, callFails } from '../../test/helpers/core.ts';
import { type Core, createCore } from '../core/core.ts';
import { hostPlatform } from '../core/platform.ts';
import type { DesktopNotice } from './job-notifier.ts';
import { startReceiver } from './receiver.test-helper.ts';

const root = mkdtempSync(join(tmpdir(), 'vmp-notify-'));
let core: Core | undefined;
let server: Server | undefined;
afterAll(async () => {
  await core?.close();
  server?.close();
  rmSync(root, { recursive: true, force: true });
});

it('announces the end of a job on the desktop and to the notifyUrl webhook, retrying a failed first POST', async () => {
  const receiver = await startReceiver([502, 200]);
  server = receiver.server;
  const notices: DesktopNotice[] = [];
  core = createCore({
    dataDir: join(root, 'data'),
    defaultOutputDir: join(root, 'out'),
    platform: hostPlatform({ PATH: '' }, 'linux'),
    notifyDesktop: (n) => notices.push(n),
  });
  expect(await callFails(core, 'app.updateSettings', { notifyUrl: 'file:///etc/passwd' })).toMatchObject({
    code: 'VALIDATION_ERROR',
    message: expect.stringMatching(/notifyUrl must be an http/),
  });
  expect(await call(core, 'app.updateSettings', { notifyUrl: receiver.url })).toMatchObject({
    notifyUrl: receiver.url,
  });

  const media = join(root, 'media');
  const project = await call(core, 'projects.create', { name: 'Launch' });
  const groups = (await call(core, 'projects.get', { projectId: project.id })).groups;
  for (const [i, group] of groups.entries()) {
    const clip = await makeClip(media, `c${i}`, { duration: 0.5 });
    await call(core, 'clips.import', { projectId: project.id, paths: [clip], groupId: group.id });
  }
  const job = await call(core, 'jobs.start', { projectId: project.id });

  const deadline = Date.now() + 100_000;
  while (receiver.received.length < 2 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
  expect(receiver.received).toHaveLength(2);
  expect(receiver.received[1]!.body).toMatchObject({
    event: 'run.finished',
    project: 'Launch',
    status: 'completed',
    made: 1,
    failed: 0,
    outputs: job.outputDir,
  });
  expect(notices).toHaveLength(1);
  expect(notices[0]!.title).toBe('Launch: render finished');
  expect(notices[0]!.body).toContain('1 video made');
});
