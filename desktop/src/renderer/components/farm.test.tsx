// @vitest-environment happy-dom
// The "Render farm" setting and the queue view's worker, over a real core (the same dispatch Electron's main uses).
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { act, cleanup, render, screen, waitFor } from '@testing-library/react';
import type { Output } from '@vmp/shared/api';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { type Core, createCore } from '../../core/core.ts';
import { dispatch, resultMessage } from '../../core/dispatch.ts';
import { hostPlatform } from '../../core/platform.ts';
import { clientFromBridge } from '../../preload/bridge.ts';
import { setApi } from '../api/client.ts';
import { commitField } from './commit-field.testing.ts';
import { FarmSetting } from './FarmSetting.tsx';
import { OutputCard } from './RendersView.tsx';

// Two cores shared by many engineers: the core's answers can take seconds.
const SLOW = { timeout: 15_000 };
let root: string;
let core: Core;

beforeAll(() => {
  root = mkdtempSync(join(tmpdir(), 'vmp-farm-ui-'));
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

describe('Render farm setting', () => {
  it('shows the core’s error for a bad URL, saves a good one with the password hidden, and clears it', async () => {
    render(<FarmSetting />);
    const input = await screen.findByLabelText('Render farm', {}, SLOW);
    await act(async () => {}); // the field's mount effects, before typing into it
    expect((input as HTMLInputElement).value).toBe('');
    expect(screen.getByText('Empty: outputs render on this computer.')).toBeTruthy();

    await commitField(input, 'http://:hunter2@farm:6379');
    const alert = await screen.findByRole('alert', {}, SLOW);
    expect(alert.textContent).toMatch(/^Render farm address must start with redis:\/\/ or rediss:\/\//);
    expect(alert.textContent).not.toContain('hunter2'); // the field keeps what the user typed, to correct it
    expect((await core['app.getSettings']({})).farmUrl).toBeNull();
    // Cleared again (what is stored): the old error goes with the text it was about.
    await commitField(input, '');
    await waitFor(() => expect(screen.queryByRole('alert')).toBeNull(), SLOW);
    await commitField(input, 'http://farm:6379');
    await screen.findByRole('alert', {}, SLOW);

    await commitField(input, 'redis://:hunter2@farm.local:6379');
    await waitFor(() => expect((input as HTMLInputElement).value).toBe('redis://:***@farm.local:6379'), SLOW);
    expect(screen.queryByRole('alert')).toBeNull();
    expect(document.body.innerHTML).not.toContain('hunter2');
    expect((await core['app.getSettings']({})).farmUrl).toBe('redis://:***@farm.local:6379');

    await commitField(input, '');
    await waitFor(() => expect((input as HTMLInputElement).value).toBe(''), SLOW);
    expect((await core['app.getSettings']({})).farmUrl).toBeNull();
  });

  it('starts from the saved setting', async () => {
    await core['app.updateSettings']({ farmUrl: 'rediss://render:s3cret@farm.local:6380' });
    render(<FarmSetting />);
    const input = (await screen.findByLabelText('Render farm', {}, SLOW)) as HTMLInputElement;
    expect(input.value).toBe('rediss://render:***@farm.local:6380');
    await core['app.updateSettings']({ farmUrl: null });
  });
});

describe('queue view', () => {
  const output: Output = {
    id: 'o1',
    jobId: 'j1',
    projectId: 'p1',
    index: 0,
    clipIds: [],
    status: 'completed',
    attempts: 1,
    error: null,
    progress: 1,
    path: '/share/out/sale-001.mp4',
    duration: 1.5,
    worker: 'render-2:4242',
    updatedAt: 1,
  };

  it('names the worker that rendered each output, and none for this computer', () => {
    const { rerender } = render(<OutputCard output={output} height={200} />);
    expect(screen.getByText('Rendered on render-2:4242')).toBeTruthy();
    rerender(<OutputCard output={{ ...output, status: 'processing', progress: 0 }} height={200} />);
    expect(screen.getByText('Rendering on render-2:4242')).toBeTruthy();
    rerender(<OutputCard output={{ ...output, worker: null }} height={200} />);
    expect(screen.queryByText(/render-2:4242/)).toBeNull();
  });
});
