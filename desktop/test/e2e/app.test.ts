import { readdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningHost } from '../../src/host/index.ts';
import { makeClip } from '../fixtures/media.ts';
import { type Browser, dragAndDrop, type Session, screenshot, startSession, until } from './helpers.ts';

// One user journey against the real host (in-process), real FFmpeg and real Chromium.
let session: Session;
let dir: string;
let host: RunningHost;
let browser: Browser;
let page: Page;
const clips: string[] = [];

beforeAll(async () => {
  session = await startSession('app');
  ({ dir, host, browser } = session);
  page = browser.page;
  const media = join(dir, 'clips');
  const specs = [
    ['hook-red', 'red'],
    ['hook-orange', 'orange'],
    ['body-green', 'green'],
    ['body-teal', 'teal'],
    ['cta-blue', 'blue'],
    ['cta-purple', 'purple'],
  ] as const;
  for (const [name, color] of specs) clips.push(await makeClip(media, name, { color, duration: 1 }));
});

afterAll(async () => {
  await session?.close();
});

/** The DOM lib is not in the node-side tsconfig; these are the fields the checks read. */
interface VideoLike {
  readyState: number;
  videoWidth: number;
  videoHeight: number;
  currentTime: number;
  paused: boolean;
}

const column = (name: string) => page.locator(`[data-testid="group-column"][data-group-name="${name}"]`);
const libraryClip = (name: string) => page.locator(`[data-testid="library-clip"][data-clip-name="${name}"]`);

async function groupClipNames(name: string): Promise<string[]> {
  return column(name).locator('[data-testid="group-clip"] .clip-name').allTextContents();
}

describe('Video Mixer Pro in the browser', () => {
  it('creates a project, uploads clips and builds three groups', async () => {
    await page.goto(host.url);
    await page.getByText('Connected').waitFor();
    await page.getByText('No projects yet').waitFor();

    // Ctrl+N opens the new-project prompt.
    await page.keyboard.press('Control+n');
    const name = page.getByLabel('Project name');
    await name.fill('Spring launch');
    await name.press('Enter');
    await page.locator('.project-title').getByText('Spring launch').waitFor();
    await page.getByText('Drop video clips anywhere').waitFor();

    // Browser transport: the hidden file input uploads to the host.
    await page.getByTestId('clip-input').setInputFiles(clips);
    await until(async () => (await page.getByTestId('library-clip').count()) === 6, 'six clips in the library');
    await until(
      async () => (await page.locator('.library .badge', { hasText: 'Analysing' }).count()) === 0,
      'analysis',
    );
    expect(await libraryClip('hook-red.mp4').locator('.badge').first().textContent()).toBe('0:01.0');
    expect(await libraryClip('hook-red.mp4').getByText('320×240').isVisible()).toBe(true);
    await until(async () => (await libraryClip('hook-red.mp4').locator('img').count()) === 1, 'a thumbnail');

    // A file that is not a video is added with its problem shown inline, naming the file; then removed.
    const broken = join(dir, 'clips', 'notes.mp4');
    await writeFile(broken, 'not a video at all');
    await page.getByTestId('clip-input').setInputFiles(broken);
    const problem = libraryClip('notes.mp4').locator('.clip-problem');
    await problem.waitFor();
    expect(await problem.textContent()).toContain('notes.mp4');
    expect(await libraryClip('notes.mp4').locator('.problem-marker').getAttribute('title')).toContain('notes.mp4');
    await screenshot(page, '2a-clip-problem');
    await libraryClip('notes.mp4').hover();
    await page.getByLabel('Remove notes.mp4 from project').click();
    await page.getByRole('dialog').getByRole('button', { name: 'Remove clip' }).click();
    await until(async () => (await page.getByTestId('library-clip').count()) === 6, 'the broken clip removed');

    // Manual projects start with Hook, Body, Call to action.
    expect(
      await page.getByTestId('group-column').evaluateAll((els) => els.map((e) => e.getAttribute('data-group-name'))),
    ).toEqual(['Hook', 'Body', 'Call to action']);

    // Mouse: drag from the library into a group (HTML5 drag and drop).
    await dragAndDrop(
      page,
      libraryClip('hook-red.mp4').locator('.clip-select'),
      column('Hook').locator('.group-clips'),
    );
    await until(async () => (await groupClipNames('Hook')).includes('hook-red.mp4'), 'hook-red in Hook');
    await dragAndDrop(
      page,
      libraryClip('hook-orange.mp4').locator('.clip-select'),
      column('Hook').locator('.group-clips'),
    );
    await until(async () => (await groupClipNames('Hook')).length === 2, 'two hooks');

    // Keyboard: select in the library, Alt+→ into the first group, Alt+→ again to the next one.
    for (const clip of ['body-green.mp4', 'body-teal.mp4']) {
      await libraryClip(clip).locator('.clip-select').click();
      await page.keyboard.press('Alt+ArrowRight');
      await until(async () => (await groupClipNames('Hook')).includes(clip), `${clip} in Hook`);
      await page.keyboard.press('Alt+ArrowRight');
      await until(async () => (await groupClipNames('Body')).includes(clip), `${clip} in Body`);
    }
    // Reorder within a group with Alt+↑.
    await page.keyboard.press('Alt+ArrowUp');
    await until(async () => (await groupClipNames('Body'))[0] === 'body-teal.mp4', 'body-teal first');

    await dragAndDrop(
      page,
      libraryClip('cta-blue.mp4').locator('.clip-select'),
      column('Call to action').locator('.group-clips'),
    );
    await dragAndDrop(
      page,
      libraryClip('cta-purple.mp4').locator('.clip-select'),
      column('Call to action').locator('.group-clips'),
    );
    await until(async () => (await groupClipNames('Call to action')).length === 2, 'two calls to action');

    // Undo takes back the last move; redo puts it back.
    await page.keyboard.press('Escape');
    await page.keyboard.press('Control+z');
    await until(async () => (await groupClipNames('Call to action')).length === 1, 'undo');
    await page.keyboard.press('Control+Shift+z');
    await until(async () => (await groupClipNames('Call to action')).length === 2, 'redo');

    expect(await groupClipNames('Hook')).toEqual(['hook-red.mp4', 'hook-orange.mp4']);
    expect(await groupClipNames('Body')).toEqual(['body-teal.mp4', 'body-green.mp4']);

    // Groups: add, rename, move left, delete; undo brings the deleted group back in its place.
    const names = () =>
      page.getByTestId('group-column').evaluateAll((els) => els.map((e) => e.getAttribute('data-group-name')));
    await page.getByRole('button', { name: 'Add group' }).click();
    await column('Group 4').waitFor();
    await column('Group 4').locator('.group-name').click();
    const groupName = page.getByLabel('Group name');
    await groupName.fill('Outro');
    await groupName.press('Enter');
    await column('Outro').waitFor();
    await page.getByLabel('Move Outro left').click();
    await until(async () => (await names())[2] === 'Outro', 'Outro moved left');
    await page.getByLabel('Delete group Outro').click();
    await until(async () => (await names()).length === 3, 'Outro deleted');
    await page.keyboard.press('Control+z');
    await until(async () => (await names()).join() === 'Hook,Body,Outro,Call to action', 'Outro restored in place');
    await page.keyboard.press('Control+Shift+z');
    await until(async () => (await names()).join() === 'Hook,Body,Call to action', 'Outro deleted again');
    expect(await groupClipNames('Call to action')).toEqual(['cta-blue.mp4', 'cta-purple.mp4']);
    await until(async () => (await page.locator('.plan-summary').textContent())?.includes('8 to render'), 'the plan');
    await screenshot(page, '2-workspace-groups');

    // ? shows the shortcuts sheet; Esc closes it.
    await page.keyboard.press('Shift+?');
    await page.getByRole('dialog', { name: 'Keyboard shortcuts' }).waitFor();
    await screenshot(page, '2b-shortcuts');
    await page.keyboard.press('Escape');
    await until(async () => (await page.getByRole('dialog').count()) === 0, 'the sheet to close');
  });

  it('previews the plan with a count', async () => {
    await page.getByRole('tab', { name: 'Preview' }).click();
    await page.getByTestId('plan-preview').waitFor();
    const outputs = page.getByLabel('Outputs', { exact: true });
    await outputs.fill('4');
    await outputs.press('Enter');
    await until(async () => (await page.locator('.stat.is-accent .stat-value').textContent()) === '4', 'count of 4');
    expect(await page.locator('.stat', { hasText: 'Possible combinations' }).locator('.stat-value').textContent()).toBe(
      '8',
    );
    await until(async () => (await page.locator('.plan-table tbody tr').count()) === 4, 'count 4');
    await until(
      async () => (await page.locator('.plan-table tbody tr').first().locator('.chip').count()) === 3,
      'count 3',
    );
    await screenshot(page, '3-plan-preview');

    // Settings that open more settings: unique variations and background music; then back.
    const settings = page.getByRole('complementary', { name: 'Render settings' });
    await settings.getByText('Unique', { exact: true }).click();
    await settings.getByText('Music', { exact: true }).click();
    await settings.getByLabel('Zoom').waitFor();
    await settings.getByLabel('Music volume').waitFor();
    await screenshot(page, '3a-settings-unique-music');
    await settings.getByText('Fast', { exact: true }).click();
    await settings.getByText('Keep', { exact: true }).click();
    await until(async () => (await settings.getByLabel('Zoom').count()) === 0, 'variations hidden again');
  });

  it('renders, shows progress reaching 100 %, and plays an output', async () => {
    await page.keyboard.press('Control+Enter');
    await page.getByTestId('job-card').waitFor();
    await screenshot(page, '4-queue');
    await until(
      async () => (await page.getByTestId('job-progress').first().textContent()) === '100 %',
      'job at 100 %',
      120_000,
    );
    await until(
      async () => (await page.locator('[data-testid="output-card"][data-status="completed"]').count()) === 4,
      'four outputs',
    );
    await until(
      async () =>
        await page
          .locator('.output-thumb img')
          .evaluateAll((imgs) => imgs.every((i) => (i as unknown as { naturalWidth: number }).naturalWidth > 0)),
      'output thumbnails',
    );
    await screenshot(page, '5-gallery');

    await page.locator('.output-thumb').first().click();
    const video = page.getByTestId('player');
    await video.waitFor();
    await until(
      () =>
        video.evaluate(
          (v: VideoLike) => v.readyState >= 2 && v.videoWidth > 0 && (v.currentTime > 0 || v.paused === false),
        ),
      'the video to play',
    );
    expect(await video.evaluate((v: VideoLike) => [v.videoWidth, v.videoHeight])).toEqual([1080, 1920]);
    await screenshot(page, '6-player');
    await page.keyboard.press('Escape');
    await until(async () => (await video.count()) === 0, 'count 0');

    const jobDirs = await readdir(join(dir, 'outputs'), { recursive: true });
    expect(jobDirs.filter((f) => String(f).endsWith('.mp4'))).toHaveLength(4);
  });

  it('keeps everything after a reload', async () => {
    await page.reload();
    await page.getByText('Connected').waitFor();
    await until(async () => (await groupClipNames('Hook')).length === 2, 'groups after reload');
    expect(await groupClipNames('Body')).toEqual(['body-teal.mp4', 'body-green.mp4']);
    expect(await groupClipNames('Call to action')).toEqual(['cta-blue.mp4', 'cta-purple.mp4']);
    await page.getByRole('tab', { name: 'Renders' }).click();
    await until(
      async () => (await page.getByTestId('job-progress').first().textContent()) === '100 %',
      'job after reload',
    );
    await until(
      async () => (await page.locator('[data-testid="output-card"][data-status="completed"]').count()) === 4,
      'count 4',
    );

    await page.getByLabel('Back to all projects').click();
    const row = page.getByTestId('project-row');
    await until(async () => (await row.count()) === 1, 'count 1');
    await until(async () => (await row.textContent())?.includes('4 outputs'), 'output count on the project row');
    expect(await row.textContent()).toContain('6 clips');
    await screenshot(page, '1-projects');
    expect(browser.errors.filter((e) => /Content Security Policy|Refused/.test(e))).toEqual([]);
  });

  it('deletes a project only after confirmation', async () => {
    await page.getByLabel('Delete Spring launch').click();
    await page.getByRole('dialog').getByText('Cancel').click();
    await until(async () => (await page.getByTestId('project-row').count()) === 1, 'count 1');
    await page.getByLabel('Delete Spring launch').click();
    await page.getByRole('dialog').getByRole('button', { name: 'Delete project' }).click();
    await page.getByText('No projects yet').waitFor();
  });
});
