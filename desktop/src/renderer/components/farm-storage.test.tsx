// @vitest-environment happy-dom
// The "Render farm storage" setting and the gallery's Share link, over a real core, a real render and a real S3
// protocol server (s3rver) on loopback: the link the button gives downloads the output.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { get } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { act, cleanup, fireEvent, render, screen, waitFor } from '@testing-library/react';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { makeClip } from '../../../test/fixtures/media.ts';
import { type Core, createCore } from '../../core/core.ts';
import { dispatch, resultMessage } from '../../core/dispatch.ts';
import { hostPlatform } from '../../core/platform.ts';
import { clientFromBridge } from '../../preload/bridge.ts';
import { startTestS3, type TestS3 } from '../../storage/s3rver.test-helper.ts';
import { setApi } from '../api/client.ts';
import { useShareStorage } from '../lib/share-storage.ts';
import { useToasts } from '../stores/toasts.ts';
import { commitField } from './commit-field.testing.ts';
import { FarmStorageSetting } from './FarmStorageSetting.tsx';
import { OutputCard } from './RendersView.tsx';

const SLOW = { timeout: 20_000 };
let root: string;
let core: Core;
let s3: TestS3;
const savedEnv = { ...process.env };

beforeAll(async () => {
  root = mkdtempSync(join(tmpdir(), 'vmp-farm-storage-ui-'));
  s3 = await startTestS3(['vmp-links']);
  // The core reads endpoint and credentials from the AWS variables, as the CLI does.
  Object.assign(process.env, s3.env);
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
  await s3?.close();
  process.env = savedEnv;
  rmSync(root, { recursive: true, force: true });
});

function download(url: string): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    get(url, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () =>
        res.statusCode === 200 ? resolve(Buffer.concat(chunks)) : reject(new Error(`HTTP ${res.statusCode}`)),
      );
    }).on('error', reject);
  });
}

/** One real output: a project with one clip, rendered by the core's queue. */
async function renderOneOutput() {
  const call = async <T,>(method: string, input: unknown): Promise<T> => {
    const result = await dispatch(core, method, input);
    if (!result.ok) throw new Error(`${method}: ${JSON.stringify(result.error)}`);
    return result.output as T;
  };
  const clip = await makeClip(join(root, 'clips'), 'red', { color: 'red', width: 160, height: 120, duration: 0.5 });
  const { id: projectId } = await call<{ id: string }>('projects.create', { name: 'Links' });
  const { groups } = await call<{ groups: { id: string }[] }>('projects.get', { projectId });
  for (const extra of groups.slice(1)) await call('groups.delete', { groupId: extra.id });
  await call('clips.import', { projectId, groupId: groups[0]!.id, paths: [clip] });
  await call('projects.update', { projectId, settings: { format: '1:1' } });
  const job = await call<{ id: string }>('jobs.start', { projectId });
  await core.queue.whenIdle();
  const { items } = await call<{ items: import('@vmp/shared/api').Output[] }>('outputs.list', { jobId: job.id });
  expect(items[0], JSON.stringify(items)).toMatchObject({ status: 'completed' });
  return items[0]!;
}

describe('Render farm storage setting and Share link', () => {
  it('checks and saves the bucket URL; a finished output then gets a Share link that downloads it', async () => {
    const output = await renderOneOutput();
    // No bucket yet: no Share link, and the API says what to set.
    render(<OutputCard output={output} height={200} />);
    await act(async () => {});
    expect(screen.queryByLabelText(/^Share link for/)).toBeNull();
    const refused = await dispatch(core, 'share.outputLink', { outputId: output.id });
    expect(refused).toMatchObject({ ok: false, error: { message: expect.stringContaining('Render farm → Storage') } });
    cleanup();

    render(<FarmStorageSetting />);
    const input = await screen.findByLabelText('Render farm storage', {}, SLOW);
    await act(async () => {});
    await commitField(input, 'https://bucket.example/x');
    const alert = await screen.findByRole('alert', {}, SLOW);
    expect(alert.textContent).toMatch(/farmStorageUrl must be s3:\/\/bucket\/prefix/);
    await commitField(input, 's3://vmp-links/agency');
    await waitFor(() => expect(screen.queryByRole('alert')).toBeNull(), SLOW);
    expect((await core['app.getSettings']({})).farmStorageUrl).toBe('s3://vmp-links/agency');
    expect(useShareStorage.getState().url).toBe('s3://vmp-links/agency');
    cleanup();

    render(<OutputCard output={output} height={200} />);
    const button = await screen.findByLabelText(/^Share link for/, {}, SLOW);
    await act(async () => {
      fireEvent.click(button);
    });
    const link = (await screen.findByLabelText(/^Download link for/, {}, SLOW)) as HTMLInputElement;
    expect(link.value).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/vmp-links\/agency\/shared\/[0-9a-f]{32}\/.+\.mp4\?/);
    expect(link.value).toContain('X-Amz-Expires=604800');
    expect(
      useToasts
        .getState()
        .toasts.map((t) => t.message)
        .join('\n'),
    ).toMatch(/can be downloaded until/);
    // Node's HTTP client (happy-dom's fetch applies a browser's CORS rules).
    const downloaded = await download(link.value);
    expect(downloaded.equals(readFileSync(output.path!))).toBe(true);
    // Cleared: no bucket, no Share link.
    await core['app.updateSettings']({ farmStorageUrl: null });
    expect((await core['app.getSettings']({})).farmStorageUrl).toBeNull();
  }, 120_000);
});
