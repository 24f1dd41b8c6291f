import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ffprobeJson, makeClip } from './fixtures/media.ts';
import { runVmp } from './helpers/cli.ts';

// The real `vmp mix --platform`: every combination once per placement, checked after rendering.
describe('vmp mix --platform', () => {
  let dir: string;
  const vmp = (args: string[]) =>
    runVmp(['mix', ...args], { VMP_CACHE_DIR: join(dir, 'cache'), VMP_DATA_DIR: join(dir, 'data') });

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'vmp-platform-'));
    await makeClip(join(dir, 'clips', '1-hook'), 'one', { duration: 1 });
    await makeClip(join(dir, 'clips', '1-hook'), 'two', { color: 'navy', duration: 1 });
    await makeClip(join(dir, 'clips', '2-body'), 'body', { color: 'maroon', duration: 0.6 });
    await writeFile(join(dir, 'clips', '1-hook', 'headlines.txt'), 'Stop scrolling\n');
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('renders 2 combinations × reels, feed-4x5 as 4 files in their canvases, an adId per ad, pre-flight in --json and the manifest', async () => {
    const out = join(dir, 'out');
    const run = await vmp([join(dir, 'clips'), '--out', out, '--platform', 'reels,feed-4x5', '--json']);
    expect(run.stderr).toMatch(/Making 4 videos: 2 of 2 possible combinations × reels, feed-4x5/);
    expect(run.stderr).toMatch(/Pre-flight: 4 of 4 videos pass\./);
    expect(run.code).toBe(0);
    const report = JSON.parse(run.stdout) as {
      outputs: { path: string; placement: string; adId: string; preflight: { ok: boolean; problems: unknown[] } }[];
      credits: { cost: number };
      nearDuplicates: unknown[];
      placementSkipped: unknown[];
    };
    expect(report.credits.cost).toBe(4);
    expect(report.outputs.map((o) => o.placement)).toEqual(['reels', 'feed-4x5', 'reels', 'feed-4x5']);
    expect(report.outputs.every((o) => o.preflight.ok)).toBe(true);
    expect(report.outputs[0]!.adId).toBe(report.outputs[1]!.adId);
    expect(report.outputs[0]!.adId).not.toBe(report.outputs[2]!.adId);
    expect(report.placementSkipped).toEqual([]);
    expect(Array.isArray(report.nearDuplicates)).toBe(true);
    const sizes = [];
    for (const o of report.outputs) {
      const v = (await ffprobeJson(o.path)).streams.find((s) => s.codec_type === 'video')!;
      sizes.push(`${v.width}x${v.height}`);
    }
    expect(sizes).toEqual(['1080x1920', '1080x1350', '1080x1920', '1080x1350']);
    const manifest = JSON.parse(await readFile(join(out, 'manifest.json'), 'utf8')) as {
      outputs: { placement: string; preflight: { ok: boolean }; textBoxes: { kind: string }[] }[];
    };
    expect(manifest.outputs.map((o) => [o.placement, o.preflight.ok])).toEqual([
      ['reels', true],
      ['feed-4x5', true],
      ['reels', true],
      ['feed-4x5', true],
    ]);
    expect(manifest.outputs[0]!.textBoxes.map((b) => b.kind).sort()).toEqual(['headline', 'watermark']);
    const csv = await readFile(join(out, 'manifest.csv'), 'utf8');
    expect(csv.split('\r\n')[0]).toMatch(/,placement,preflight$/);
    // vmp check reads the boxes recorded beside the files.
    const check = await runVmp(['check', report.outputs[0]!.path, '--platform', 'reels', '--json'], {
      VMP_DATA_DIR: join(dir, 'data'),
    });
    expect(check.code).toBe(0);
    expect(JSON.parse(check.stdout)[0].preflight.skipped).toEqual([]);
  }, 600_000);

  it('exits 2 for an unknown placement, naming it and listing the valid ones', async () => {
    const run = await vmp([join(dir, 'clips'), '--out', join(dir, 'x'), '--platform', 'reels,snapchat']);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(
      /Unknown placement "snapchat"\. Use one of: tiktok, reels, shorts, feed-4x5, feed-1x1, youtube-16x9\./,
    );
  }, 60_000);
});
