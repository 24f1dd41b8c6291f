import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connectApi, importInPairs, makeSixClips, type Session, screenshot, startSession, until } from './helpers.ts';

// A job made for placements rendered through the host `vmp serve` runs (in-process), seen in real Chromium: each
// output's pre-flight badge (its problems on hover and on keyboard focus) and the job's near-duplicate report.
let session: Session;

beforeAll(async () => {
  session = await startSession('badges');
}, 180_000);
afterAll(async () => {
  await session?.close();
});

describe('pre-flight badges and near-duplicates', () => {
  it('renders 2 combinations × 2 placements, badges every file and lists the pairs that open alike', async () => {
    const { host, browser, dir } = session;
    const page = browser.page;
    const api = await connectApi(host.url);
    try {
      const project = await api.call('projects.create', { name: 'Badges' });
      // Solid colours: every opening looks alike to a perceptual hash, so each placement has a pair.
      await importInPairs(api.call, project.id, await makeSixClips(join(dir, 'clips')));
      await api.call('projects.update', {
        projectId: project.id,
        settings: { count: 2, placements: ['tiktok', 'feed-1x1'] },
      });
      await page.goto(`${host.url}#/projects/${project.id}`);
      // The header's button counts files: 2 combinations × 2 placements.
      const renderButton = page.locator('.workspace-header').getByRole('button', { name: /^Render/ });
      await until(async () => (await renderButton.textContent())?.trim() === 'Render 4', 'Render 4');
      await renderButton.click();

      const report = page.getByTestId('near-duplicates');
      await until(
        async () => (await report.textContent())?.includes('2 pairs whose first 3 s look alike'),
        'report',
        240_000,
      );
      const rows = report.locator('tbody tr');
      expect(await rows.count()).toBe(2);
      expect((await rows.locator('td:first-child').allTextContents()).sort()).toEqual(['feed-1x1', 'tiktok']);

      const badges = page.getByTestId('preflight-badge');
      await until(async () => (await badges.count()) === 4, 'four badges');
      const labels = await badges.allTextContents();
      // The ads run 3 s: TikTok takes 5 s at least, the feed 1 s. The engine's files pass every other rule.
      expect(labels.filter((l) => l === '! tiktok 1 problem').length).toBe(2);
      expect(labels.filter((l) => l === '✓ feed-1x1 ok').length).toBe(2);

      // Hover shows the problems with rule, value and limit.
      const first = badges.filter({ hasText: 'tiktok' }).first();
      await first.hover();
      const popover = page.getByTestId('preflight-problems');
      await popover.waitFor();
      expect(await popover.getAttribute('role')).toBe('tooltip');
      expect(await popover.locator('tbody tr').allTextContents()).toEqual(['Duration35']);
      expect(await popover.textContent()).toContain('3 s is shorter than TikTok (In-Feed) takes (5 s).');
      await screenshot(page, 'badges-hover');
      await page.mouse.move(0, 0);
      await until(async () => (await popover.count()) === 0, 'closes when the pointer leaves');

      // Keyboard: focus opens it (described by it), Escape closes it.
      await first.focus();
      await popover.waitFor();
      expect(await first.getAttribute('aria-describedby')).toBe(await popover.getAttribute('id'));
      await page.keyboard.press('Escape');
      await until(async () => (await popover.count()) === 0, 'Escape closes');
      await screenshot(page, 'badges-report');
      expect(browser.errors).toEqual([]);
    } finally {
      api.close();
    }
  }, 400_000);
});
