import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connectApi, importInPairs, makeSixClips, type Session, screenshot, startSession, until } from './helpers.ts';

// The placement picker against the real host (in-process) and real Chromium.
let session: Session;

beforeAll(async () => {
  session = await startSession('placements');
}, 180_000);
afterAll(async () => {
  await session?.close();
});

describe('placement picker', () => {
  it('ticks several placements, saves them, and the plan counts one file per placement', async () => {
    const { host, browser, dir } = session;
    const page = browser.page;
    const api = await connectApi(host.url);
    try {
      const project = await api.call('projects.create', { name: 'Placements' });
      await importInPairs(api.call, project.id, await makeSixClips(join(dir, 'clips')));
      await api.call('projects.update', { projectId: project.id, settings: { count: 2 } });
      await page.goto(`${host.url}#/projects/${project.id}`);
      const settings = page.getByRole('complementary', { name: 'Render settings' });
      const picker = settings.getByRole('group', { name: 'Placements' });
      await picker.waitFor();
      await until(async () => (await page.locator('.plan-summary').textContent())?.includes('2 to render'), 'the plan');
      expect(await page.getByTestId('placement-summary').textContent()).toMatch(/None ticked/);

      await picker.getByText('Reels · Stories', { exact: true }).click();
      await picker.getByText('Feed 4:5', { exact: true }).click();
      await until(
        async () => (await page.getByTestId('placement-summary').textContent())?.includes('Reels · Stories, Feed 4:5'),
        'summary names both',
      );
      expect(await picker.locator('input:checked').count()).toBe(2);
      // Saved on the project (the core's copy), in the app's order.
      await until(async () => {
        const detail = await api.call('projects.get', { projectId: project.id });
        return detail.project.settings.placements.join(',') === 'reels,feed-4x5';
      }, 'placements saved');
      // The cost counts files: 2 combinations × 2 placements.
      await page.getByRole('tab', { name: 'Preview' }).click();
      await until(
        async () =>
          (await page.getByTestId('plan-preview').textContent())?.includes('2 combinations × 2 placements = 4 files'),
        'files warning',
      );
      const preview = await api.call('plan.preview', { projectId: project.id });
      expect(preview.creditCost).toBe(4);
      await screenshot(page, 'placements-picker');

      // Unticking one goes back to one file per combination and placement left.
      await picker.getByText('Feed 4:5', { exact: true }).click();
      await until(async () => {
        const detail = await api.call('projects.get', { projectId: project.id });
        return detail.project.settings.placements.join(',') === 'reels';
      }, 'one placement left');
      expect(browser.errors).toEqual([]);
    } finally {
      api.close();
    }
  }, 300_000);
});
