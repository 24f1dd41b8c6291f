import { mkdir, rename, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type RunningHost, startHost } from '../../src/host/index.ts';
import { makeClip } from '../fixtures/media.ts';
import { type Browser, connectApi, ensureRendererBuilt, launchBrowser, screenshot, tempDir, until } from './helpers.ts';

let dir: string;
let host: RunningHost;
let browser: Browser;

beforeAll(async () => {
  await ensureRendererBuilt();
  dir = await tempDir('relink');
  host = await startHost({
    dataDir: join(dir, 'data'),
    defaultOutputDir: join(dir, 'outputs'),
    port: 0,
    host: '127.0.0.1',
  });
  browser = await launchBrowser();
});

afterAll(async () => {
  await browser?.close();
  await host?.close();
  if (dir) await rm(dir, { recursive: true, force: true });
});

describe('a clip that moved on disk', () => {
  it('is marked missing with its message, and relinks to the new path', async () => {
    const clip = await makeClip(join(dir, 'clips'), 'intro', { color: 'navy' });
    const api = await connectApi(host.url);
    const project = await api.call('projects.create', { name: 'Relink' });
    await api.call('clips.import', { projectId: project.id, paths: [clip] });
    api.close();

    const moved = join(dir, 'elsewhere', 'intro.mp4');
    await mkdir(join(dir, 'elsewhere'));
    await rename(clip, moved);

    // Opening the project checks the files; the library says what is wrong and offers a relink.
    const page = browser.page;
    await page.goto(`${host.url}#/projects/${project.id}`);
    const item = page.locator('[data-testid="library-clip"][data-clip-name="intro.mp4"]');
    const problem = item.locator('.clip-problem');
    await problem.waitFor();
    expect(await problem.textContent()).toContain(`is no longer at ${clip}`);
    await screenshot(page, '9-missing-clip');

    await item.getByRole('button', { name: 'Relink intro.mp4' }).click();
    const path = page.getByLabel('Full path of the file on the host machine');
    await path.fill(moved);
    await path.press('Enter');
    await until(async () => (await item.locator('.clip-problem').count()) === 0, 'the problem to clear');
    expect(await item.getAttribute('class')).toContain('status-ok');
    await page.getByText('Relinked intro.mp4.').waitFor();

    // The manual check agrees.
    await page.getByLabel('Check clip files on disk').click();
    await page.getByText('Every clip is where it was.').waitFor();
  });
});
