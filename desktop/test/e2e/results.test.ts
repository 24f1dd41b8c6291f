import { basename, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningHost } from '../../src/host/index.ts';
import {
  type Browser,
  connectApi,
  importInPairs,
  makeSixClips,
  type Session,
  screenshot,
  startSession,
  until,
} from './helpers.ts';

let session: Session;
let dir: string;
let host: RunningHost;
let browser: Browser;

beforeAll(async () => {
  session = await startSession('results');
  ({ dir, host, browser } = session);
});

afterAll(async () => {
  await session?.close();
});

const csvFile = (name: string, text: string) => ({ name, mimeType: 'text/csv', buffer: Buffer.from(text) });

describe('the Results tab', () => {
  it('imports a Meta export, charts each group with intervals, sorts, maps an unknown CSV, plans the next batch', async () => {
    const api = await connectApi(host.url);
    const project = await api.call('projects.create', { name: 'Launch' });
    await api.call('projects.update', { projectId: project.id, mode: 'manual', settings: { count: 6 } });
    await importInPairs(api.call, project.id, await makeSixClips(join(dir, 'clips')));
    await api.call('queue.pause', {});
    const job = await api.call('jobs.start', { projectId: project.id });
    const outputs = (await api.call('outputs.list', { jobId: job.id, offset: 0, limit: 100 })).items;
    const adNames = outputs.map((o) => basename(o.path!).split('_')[1]!);
    expect(adNames).toHaveLength(6);
    for (const n of adNames) expect(n).toMatch(/^H[12]-B[12]-C[12]$/);

    // Made-up figures: clicks per 10,000 impressions differ by ad, one ad thin, one row for someone else's ad.
    const clicks = [420, 300, 180, 260, 150, 9];
    const impressions = [12000, 14000, 11000, 13000, 12500, 400];
    const meta = [
      'Reporting starts,Reporting ends,Ad name,Amount spent (USD),Impressions,Link clicks,CTR (link click-through rate),3-second video plays,Results,Cost per result',
      ...adNames.map(
        (n, i) =>
          `2026-11-01,2026-11-07,${n}${i === 1 ? ' - Copy' : ''},"$${(impressions[i]! / 40).toFixed(2)}","${impressions[i]!.toLocaleString('en-US')}",${clicks[i]},1%,"${Math.round(impressions[i]! * 0.3)}",${Math.round(clicks[i]! / 30)},$10.00`,
      ),
      '2026-11-01,2026-11-07,Brand awareness video,$50.00,"5,000",20,0.4%,,,',
    ].join('\r\n');

    const page = browser.page;
    await page.setViewportSize({ width: 1500, height: 1100 });
    await page.goto(`${host.url}#/projects/${project.id}`);
    await page.getByRole('tab', { name: 'Results' }).click();
    await page.getByTestId('results-view').waitFor();
    await page.getByTestId('results-file').setInputFiles(csvFile('meta-export.csv', meta));
    for (const group of ['Hook', 'Body', 'Call to action']) await page.getByTestId(`results-chart-${group}`).waitFor();
    // Bars and whiskers drawn (one error bar per component with impressions).
    await until(async () => (await page.locator('.recharts-errorBar').count()) >= 6, 'the error bars');
    // Each whisker spans its bar's end (the CTR), where the interval is: not somewhere along the bar.
    const whiskers = await page.locator('.results-chart').evaluateAll((charts) =>
      charts.flatMap((chart) => {
        const bars = [...chart.querySelectorAll('.recharts-bar-rectangle')].map((b) => b.getBoundingClientRect());
        return [...chart.querySelectorAll('.recharts-errorBar')].map((e) => {
          const w = e.getBoundingClientRect();
          const mid = w.top + w.height / 2;
          const bar = bars.find((b) => b.top <= mid && mid <= b.bottom);
          return { left: w.left, right: w.right, barEnd: bar ? bar.right : Number.NaN };
        });
      }),
    );
    expect(whiskers.length).toBeGreaterThanOrEqual(6);
    for (const w of whiskers) {
      expect(w.left).toBeLessThanOrEqual(w.barEnd + 1);
      expect(w.right).toBeGreaterThanOrEqual(w.barEnd - 1);
    }
    expect(await page.getByTestId('results-unmatched').textContent()).toContain(
      'meta-export.csv:8 “Brand awareness video”',
    );
    expect(await page.getByTestId('results-imports').textContent()).toMatch(
      /meta-export\.csv \(Meta\): 7 rows, 7 counted/,
    );
    const rows = page.getByTestId('results-table').locator('tbody tr');
    expect(await rows.count()).toBe(6);
    await screenshot(page, 'results-chart');

    // Sortable: by code, ascending.
    await page.getByTestId('results-table').getByRole('button', { name: 'Code' }).click();
    expect(await rows.locator('td:nth-child(2)').allTextContents()).toEqual(['B1', 'B2', 'C1', 'C2', 'H1', 'H2']);
    const view = await api.call('results.get', { projectId: project.id });
    const best = view.components.find((c) => c.group === 'Hook' && c.rank === 1)!;
    await page.getByTestId('results-table').getByRole('button', { name: 'Rank' }).click();
    // One rank 1 per group first, then rank 2; the thin component has none and sorts last.
    expect(await rows.locator('td:nth-child(3)').allTextContents()).toEqual(['1', '1', '1', '2', '2', '2']);
    const bestRow = rows.filter({ has: page.locator('td:nth-child(2)', { hasText: new RegExp(`^${best.code}$`) }) });
    expect(await bestRow.locator('td:nth-child(6)').textContent()).toBe(
      `${(best.ctr! * 100).toFixed(2)} % [${(best.ctrLow! * 100).toFixed(2)} %–${(best.ctrHigh! * 100).toFixed(2)} %]`,
    );

    // A CSV the app does not recognise: the mapping dialog names the file and the missing columns.
    const other = `Creative;Views;Taps\n${adNames[0]};"2 000";40\n`;
    await page.getByTestId('results-file').setInputFiles(csvFile('agency.csv', other));
    const dialog = page.locator('dialog.results-mapping');
    await dialog.waitFor();
    expect(await dialog.getByRole('alert').textContent()).toMatch(/“agency\.csv” has no Ad name or Impressions column/);
    await dialog.getByLabel('Ad name').selectOption('Creative');
    await dialog.getByLabel('Impressions').selectOption('Views');
    await dialog.getByLabel('Clicks').selectOption('Taps');
    await screenshot(page, 'results-mapping');
    await dialog.getByRole('button', { name: 'Import' }).click();
    await until(
      async () =>
        /agency\.csv \(mapped CSV\): 1 rows, 1 counted/.test(
          (await page.getByTestId('results-imports').textContent()) ?? '',
        ),
      'the mapped import',
    );

    // Not a CSV: a clear error, earlier imports untouched.
    await page.getByTestId('results-file').setInputFiles({
      name: 'report.xlsx',
      mimeType: 'application/octet-stream',
      buffer: Buffer.from([0x50, 0x4b, 3, 4, 0, 0, 0, 0]),
    });
    await until(
      async () => (await page.locator('.results-error').textContent())?.includes('"report.xlsx" is not a CSV file'),
      'the not-CSV error',
    );
    expect((await api.call('results.get', { projectId: project.id })).imports).toHaveLength(2);

    // Imported elsewhere (another window, or pulled by project sync): the open tab follows without a reload.
    await api.call('results.import', { projectId: project.id, file: { name: 'from-elsewhere.csv', content: meta } });
    await until(
      async () => /from-elsewhere\.csv/.test((await page.getByTestId('results-imports').textContent()) ?? ''),
      'the import made elsewhere',
      20_000,
    );

    // Next batch: the two combinations never rendered, explained per component.
    await page.getByRole('button', { name: 'Next batch', exact: true }).click();
    const next = page.getByTestId('next-batch');
    await next.waitFor();
    expect(await next.locator('h3').textContent()).toBe('Next batch: 2 new ads');
    expect(await next.textContent()).toMatch(/H[12] (kept|dropped): CTR \d\.\d % \[\d\.\d–\d\.\d\]/);
    await screenshot(page, 'results-next-batch');
    // Rendered from the button: a second job of those two ads, and the Renders tab.
    await next.getByRole('button', { name: 'Render these 2' }).click();
    await until(
      async () => (await page.getByRole('tab', { name: 'Renders' }).getAttribute('aria-selected')) === 'true',
      'the Renders tab',
    );
    const jobs = await api.call('jobs.list', { projectId: project.id });
    expect(jobs).toHaveLength(2);
    for (const j of jobs) await api.call('jobs.cancel', { jobId: j.id });
    api.close();
  });
});
