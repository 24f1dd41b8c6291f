import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeClip } from './fixtures/media.ts';
import { type CliRun, runVmp } from './helpers/cli.ts';

let dir: string;
let folder: string;
const vmp = (args: string[]): Promise<CliRun> =>
  runVmp(args, { VMP_CACHE_DIR: join(dir, 'cache'), VMP_DATA_DIR: join(dir, 'data') });

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'vmp-results-'));
  folder = join(dir, 'Summer Sale');
  for (const [group, names] of [
    ['1-hook', ['red', 'blue', 'teal']],
    ['2-body', ['green', 'gray']],
    ['3-cta', ['white']],
  ] as const) {
    for (const name of names)
      await makeClip(join(folder, group), name, { color: name, duration: 0.3, width: 160, height: 284 });
  }
});

afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

interface Out {
  path: string;
  components: Record<string, string>;
  adName: string;
  adId: string;
}

describe('vmp mix names its ads; vmp results ranks the components; --next-from makes the next batch', () => {
  let first: Out[];
  const out = () => join(dir, 'batch1');

  it('every output carries components, adName and adId, in --json, the manifest and the file name', async () => {
    const run = await vmp(['mix', folder, '--out', out(), '--count', '4', '--json']);
    expect(run.code, run.stderr).toBe(0);
    first = JSON.parse(run.stdout).outputs;
    expect(first).toHaveLength(4);
    for (const o of first) {
      expect(o.adName).toMatch(/^H[1-3]-B[12]-C1$/);
      expect(o.components).toEqual({
        '1-hook': o.adName.split('-')[0],
        '2-body': o.adName.split('-')[1],
        '3-cta': 'C1',
      });
      expect(o.path.endsWith(`Summer-Sale_${o.adName}_9x16.mp4`)).toBe(true);
      expect(o.adId).toMatch(/^ad[0-9a-z]{10}$/);
    }
    const manifest = JSON.parse(await readFile(join(out(), 'manifest.json'), 'utf8'));
    expect(manifest.outputs.map((o: Out) => o.adName).sort()).toEqual(first.map((o) => o.adName).sort());
    const csv = await readFile(join(out(), 'manifest.csv'), 'utf8');
    expect(csv.split('\r\n')[0]).toMatch(/,ad_name,ad_id,1-hook,2-body,3-cta$/);
  });

  it('reads a Meta and a TikTok export and one mapped CSV, and answers per component with intervals and ranks', async () => {
    const [a, b, c] = first.map((o) => o.adName);
    const meta = join(dir, 'meta.csv');
    await writeFile(
      meta,
      [
        '\uFEFFReporting starts,Reporting ends,Ad name,Amount spent (USD),Impressions,Link clicks,CTR (link click-through rate),3-second video plays,Results,Cost per result',
        `2026-11-01,2026-11-07,${a},"$1,000.00","40,000","1,200",3.00%,"10,000",20,$50.00`,
        `2026-11-01,2026-11-07,${b} - Copy,$500.00,"20,000",200,1.00%,"4,000",5,$100.00`,
        '2026-11-01,2026-11-07,Old brand ad,$10.00,500,2,0.40%,,,',
      ].join('\r\n'),
    );
    const tiktok = join(dir, 'tiktok.csv');
    await writeFile(
      tiktok,
      [
        'Ad name,Cost,Impressions,Clicks (destination),CTR (destination),Conversions,Cost per conversion,2-second video views',
        `Summer_${c}_tiktok,$90.00,"3,000",60,2.00%,3,$30.00,"1,500"`,
      ].join('\n'),
    );
    const run = await vmp(['results', meta, tiktok, '--manifest', join(out(), 'manifest.json'), '--json']);
    expect(run.code, run.stderr).toBe(0);
    const { components, unmatched } = JSON.parse(run.stdout);
    const cta = components.find((x: { code: string }) => x.code === 'C1');
    expect(cta).toMatchObject({
      group: '3-cta',
      impressions: 63000,
      clicks: 1460,
      spend: 1590,
      conversions: 28,
      rank: 1,
    });
    expect(cta.ctr).toBeCloseTo(1460 / 63000, 9);
    expect(cta.hookRate).toBeCloseTo(15500 / 63000, 9);
    expect(cta.cpa).toBeCloseTo(1590 / 28, 6);
    expect(cta.ctrLow).toBeLessThan(cta.ctr);
    expect(cta.ctrHigh).toBeGreaterThan(cta.ctr);
    // Which outputs share a's hook depends on the plan (--count spreads over hooks first): sum those rows.
    const hookOf = (name: string) => name.split('-')[0];
    const sameHook = (name: string) => hookOf(name) === hookOf(a!);
    const hookA = components.find((x: { code: string }) => x.code === hookOf(a!));
    expect(hookA).toMatchObject({
      impressions: 40000 + (sameHook(b!) ? 20000 : 0) + (sameHook(c!) ? 3000 : 0),
      clicks: 1200 + (sameHook(b!) ? 200 : 0) + (sameHook(c!) ? 60 : 0),
      rank: 1,
    });
    expect(unmatched).toEqual([expect.objectContaining({ adName: 'Old brand ad', file: 'meta.csv', line: 4 })]);

    const table = await vmp(['results', meta, '--manifest', join(out(), 'manifest.json')]);
    expect(table.code).toBe(0);
    expect(table.stdout).toMatch(/^1-hook$/m);
    expect(table.stdout).toMatch(/3\.00 % \[2\.84–3\.17\]/);
    expect(table.stdout).toMatch(/Rows that match no ad \(1\):\n\s+meta\.csv:4\s+"Old brand ad"/);

    const other = join(dir, 'other.csv');
    await writeFile(other, `Creative;Impr.;Taps\n${a};"10 000";250\n`);
    const mapped = await vmp([
      'results',
      other,
      '--manifest',
      join(out(), 'manifest.json'),
      '--map',
      'adName=Creative',
      '--map',
      'clicks=Taps',
      '--json',
    ]);
    expect(mapped.code, mapped.stderr).toBe(0);
    expect(JSON.parse(mapped.stdout).components.find((x: { code: string }) => x.code === 'C1')).toMatchObject({
      impressions: 10000,
      clicks: 250,
    });
  });

  it('refuses a report without ad name or impressions (exit 2, naming file and columns) and a file that is not CSV', async () => {
    const bad = join(dir, 'bad.csv');
    await writeFile(bad, 'Campaign,Spend\nX,1\n');
    const run = await vmp(['results', bad, '--manifest', join(out(), 'manifest.json')]);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/"bad\.csv" has no "adName" or "impressions" column/);
    const binary = join(dir, 'report.xlsx');
    await writeFile(binary, Buffer.from([0x50, 0x4b, 3, 4, 0, 0, 0, 0, 8, 0]));
    const notCsv = await vmp(['results', binary, '--manifest', join(out(), 'manifest.json')]);
    expect(notCsv.code).toBe(2);
    expect(notCsv.stderr).toMatch(/"report\.xlsx" is not a CSV file: it holds binary data/);
    const noManifest = await vmp(['results', bad]);
    expect(noManifest.code).toBe(2);
    expect(noManifest.stderr).toMatch(/--manifest <manifest\.json> is required/);
  });

  it('vmp mix --next-from renders only combinations never run, explained, with the codes kept', async () => {
    const run = await vmp([
      'mix',
      folder,
      '--out',
      join(dir, 'batch2'),
      '--count',
      '2',
      '--json',
      '--next-from',
      join(dir, 'meta.csv'),
      '--manifest',
      join(out(), 'manifest.json'),
    ]);
    expect(run.code, run.stderr).toBe(0);
    const outputs: Out[] = JSON.parse(run.stdout).outputs;
    expect(outputs).toHaveLength(2);
    const before = new Set(first.map((o) => o.adName));
    for (const o of outputs) expect(before.has(o.adName)).toBe(false);
    expect(run.stderr).toMatch(/Next batch: 2 new combinations \(2 never run\)/);
    // The winning hook is kept while it has a combination never run (2 bodies × 1 CTA each), else dropped.
    const winner = first[0]!.adName.split('-')[0]!;
    const runWithWinner = first.filter((o) => o.adName.startsWith(`${winner}-`)).length;
    expect(run.stderr).toContain(`${winner} ${runWithWinner < 2 ? 'kept' : 'dropped'}: CTR 3.0 % [2.8–3.2]`);
    expect((await readdir(join(dir, 'batch2'))).filter((f) => f.endsWith('.mp4')).sort()).toEqual(
      outputs.map((o) => `Summer-Sale_${o.adName}_9x16.mp4`).sort(),
    );
  });
});
