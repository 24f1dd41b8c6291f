import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningHost } from '../../src/host/index.ts';
import { makeClip } from '../fixtures/media.ts';
import { type Browser, connectApi, type Session, screenshot, startSession, until } from './helpers.ts';

let session: Session;
let dir: string;
let host: RunningHost;
let browser: Browser;

beforeAll(async () => {
  session = await startSession('text');
  ({ dir, host, browser } = session);
});

afterAll(async () => {
  await session?.close();
});

describe('text on video in the app', () => {
  it('headlines in a group double the plan; a caption cue is edited in the cue editor', async () => {
    const clips = join(dir, 'clips');
    const paths = [
      await makeClip(clips, 'hook', { color: 'navy', duration: 2 }),
      await makeClip(clips, 'body', { color: 'olive', duration: 2 }),
    ];
    const api = await connectApi(host.url);
    const project = await api.call('projects.create', { name: 'Text' });
    await api.call('projects.update', { projectId: project.id, mode: 'manual' });
    const { clips: imported } = await api.call('clips.import', { projectId: project.id, paths });
    const groups = (await api.call('projects.get', { projectId: project.id })).groups;
    await api.call('groups.setClips', { groupId: groups[0]!.id, clipIds: [imported[0]!.id] });
    await api.call('groups.setClips', { groupId: groups[1]!.id, clipIds: [imported[1]!.id] });
    for (const g of groups.slice(2)) await api.call('groups.delete', { groupId: g.id });
    await api.call('clips.setCaptions', {
      clipId: imported[0]!.id,
      cues: [{ start: 0, end: 1, text: 'Hello there' }],
    });

    const page = browser.page;
    await page.goto(`${host.url}#/projects/${project.id}`);
    const summary = page.locator('.plan-summary');
    await until(async () => (await summary.textContent())?.includes('1 to render'), 'the plan of 1');

    // The first group's Text tab: two headlines, saved with Ctrl+Enter.
    const hook = page.locator('[data-testid="group-column"]').first();
    await hook.getByRole('tab', { name: 'Text' }).click();
    const input = hook.getByTestId('headlines-input');
    await input.fill('Stop scrolling\n\nWait for it\n');
    await input.press('Control+Enter');
    await until(async () => (await summary.textContent())?.includes('2 to render'), 'the plan to double');
    expect(await hook.getByTestId('headlines-count').textContent()).toMatch(/^2 headlines/);
    const stored = (await api.call('projects.get', { projectId: project.id })).groups[0]?.headlines;
    expect(stored).toEqual(['Stop scrolling', 'Wait for it']);
    await screenshot(page, 'text-tab');

    // A third line saved on blur: 3 to render.
    await input.fill('Stop scrolling\nWait for it\nThird hook');
    await page.locator('.plan-summary').click();
    await until(async () => (await summary.textContent())?.includes('3 to render'), 'the plan of 3');

    // The cue editor from the clip card, by keyboard.
    const cc = page.getByRole('button', { name: 'Captions of hook.mp4 (1)' });
    await cc.focus();
    await page.keyboard.press('Enter');
    const dialog = page.getByRole('dialog', { name: 'Captions · hook.mp4' });
    await dialog.waitFor();
    expect(await dialog.getByLabel('Cue 1 text').inputValue()).toBe('Hello there');
    expect(await dialog.getByLabel('Cue 1 start').inputValue()).toBe('0:00.000');
    await dialog.getByLabel('Cue 1 text').fill('Hello, edited');
    await dialog.getByLabel('Cue 1 end').fill('0:01.500');
    // A time past the clip's end is cut there on saving, as `vmp mix` and a file import do; the row says so first.
    await dialog.getByRole('button', { name: 'Add cue' }).click();
    await dialog.getByLabel('Cue 2 text').fill('Second line');
    await dialog.getByLabel('Cue 2 end').fill('0:09.000');
    await dialog.getByText("Runs past the clip's end (0:02.000): it will be cut there.").waitFor();
    await screenshot(page, 'cue-editor-past-end');
    expect(await dialog.getByRole('button', { name: 'Save captions' }).isDisabled()).toBe(false);
    await dialog.getByLabel('Cue 2 end').fill('0:01.900');
    await dialog.getByLabel('Cue 2 start').fill('0:01.500');
    await screenshot(page, 'cue-editor');
    await dialog.getByRole('button', { name: 'Save captions' }).click();
    await dialog.waitFor({ state: 'detached' });
    const saved = (await api.call('projects.get', { projectId: project.id })).clips.find(
      (c) => c.id === imported[0]!.id,
    );
    expect(saved?.captions).toEqual([
      { start: 0, end: 1.5, text: 'Hello, edited' },
      { start: 1.5, end: 1.9, text: 'Second line' },
    ]);
    await page.getByRole('button', { name: 'Captions of hook.mp4 (2)' }).waitFor();

    // Import from a file (the browser sends its text), then remove all.
    await page.getByRole('button', { name: 'Captions of hook.mp4 (2)' }).click();
    await dialog.waitFor();
    await dialog.getByTestId('captions-file').setInputFiles({
      name: 'hook.srt',
      mimeType: 'application/x-subrip',
      buffer: Buffer.from(
        '1\n00:00:00,200 --> 00:00:00,800\nFrom a file\n\n2\n00:00:01,500 --> 00:00:04,000\nToo long\n',
      ),
    });
    await until(async () => (await dialog.getByLabel('Cue 1 text').inputValue()) === 'From a file', 'the import');
    expect(await dialog.getByTestId('cue-row').count()).toBe(2);
    // The cue cut at the clip's end is said, not silently changed.
    await page
      .getByRole('status')
      .filter({ hasText: /^Captions: .*runs past the clip's end/ })
      .waitFor();
    await dialog.getByRole('button', { name: 'Remove all' }).click();
    await dialog.getByRole('button', { name: 'Save captions' }).click();
    await dialog.waitFor({ state: 'detached' });
    await page.getByRole('button', { name: 'Captions of hook.mp4', exact: true }).waitFor();
    const cleared = (await api.call('projects.get', { projectId: project.id })).clips.find(
      (c) => c.id === imported[0]!.id,
    );
    expect(cleared?.captions).toBeUndefined();
    expect(browser.errors).toEqual([]);
    api.close();
  });
});
