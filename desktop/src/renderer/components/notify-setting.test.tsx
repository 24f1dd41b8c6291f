// @vitest-environment happy-dom
// The "Notify when done" setting over a real core (the same dispatch Electron's main uses).
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { cleanup, render, screen, waitFor } from '@testing-library/react';
import { afterAll, afterEach, beforeAll, expect, it } from 'vitest';
import { type Core, createCore } from '../../core/core.ts';
import { dispatch, resultMessage } from '../../core/dispatch.ts';
import { hostPlatform } from '../../core/platform.ts';
import { clientFromBridge } from '../../preload/bridge.ts';
import { setApi } from '../api/client.ts';
import { commitField } from './commit-field.testing.ts';
import { NotifySetting } from './NotifySetting.tsx';

const SLOW = { timeout: 15_000 };
let root: string;
let core: Core;

beforeAll(() => {
  root = mkdtempSync(join(tmpdir(), 'vmp-notify-ui-'));
  core = createCore({
    dataDir: join(root, 'data'),
    defaultOutputDir: join(root, 'out'),
    platform: hostPlatform({ PATH: '' }, 'linux'),
  });
  setApi(
    clientFromBridge({
      invoke: async (method, input) => resultMessage(0, await dispatch(core, method, input)),
      subscribe: (listener) => core.subscribe(listener),
      mediaUrl: () => '',
      pathForFile: () => null,
    }),
  );
});
afterEach(cleanup);
afterAll(async () => {
  await core?.close();
  rmSync(root, { recursive: true, force: true });
});

async function storedUrl() {
  const result = await dispatch(core, 'app.getSettings', {});
  return result.ok ? (result.output as { notifyUrl?: string | null }).notifyUrl : 'error';
}

it('shows the core’s error for a bad URL, saves a good one, and clears it', async () => {
  render(<NotifySetting />);
  await screen.findByLabelText('Notify when done', {}, SLOW);
  const input = () => screen.getByLabelText('Notify when done');
  await commitField(input, 'ftp://example.com/hook');
  expect((await screen.findByRole('alert', {}, SLOW)).textContent).toMatch(/notifyUrl must be an http/);
  await commitField(input, 'https://hooks.slack.com/services/T0/B0/abc');
  await waitFor(() => expect(screen.queryByRole('alert')).toBeNull(), SLOW);
  expect(await storedUrl()).toBe('https://hooks.slack.com/services/T0/B0/abc');
  await commitField(input, '');
  await waitFor(async () => expect(await storedUrl()).toBeNull(), SLOW);
});
