import { mkdir, rename } from 'node:fs/promises';
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
  session = await startSession('relink');
  ({ dir, host, browser } = session);
});

afterAll(async () => {
  await session?.close();
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
