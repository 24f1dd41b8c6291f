import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeClip } from '../fixtures/media.ts';
import { connectApi, type Session, screenshot, startSession, until } from './helpers.ts';

// The browser on the host's own machine imports clips where they lie, by path: no upload, no copy.
let session: Session;
beforeAll(async () => {
  session = await startSession('local-import');
}, 180_000);
afterAll(async () => {
  await session?.close();
});

describe('import by path from this computer (browser on the host machine)', () => {
  it('offers a path field and imports the files in place', async () => {
    const { dir, host, browser } = session;
    const clip = await makeClip(join(dir, 'clips'), 'beach', { color: 'teal', duration: 1 });
    const api = await connectApi(host.url);
    const project = await api.call('projects.create', { name: 'Local' });
    const page = browser.page;
    await page.goto(`${host.url}#/projects/${project.id}`);
    await page.getByRole('button', { name: 'Import by path from this computer' }).click();
    const field = page.getByLabel('Paths of video files on this computer, one per line');
    await field.fill(`"${clip}"\n`);
    await screenshot(page, 'local-import');
    await page.getByTestId('local-import').getByRole('button', { name: 'Import 1' }).click();
    const [imported] = await until(async () => {
      const clips = (await api.call('projects.get', { projectId: project.id })).clips;
      return clips.length ? clips : null;
    }, 'the clip');
    // The file itself, not an uploaded copy in the project's media folder.
    expect(imported!.path).toBe(clip);
    await page.getByText('beach.mp4').first().waitFor();
    expect(browser.errors).toEqual([]);
    api.close();
  }, 180_000);
});
