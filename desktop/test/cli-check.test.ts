import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runFfmpeg } from '../src/engine/ffmpeg/run.ts';
import { runVmp } from './helpers/cli.ts';

// The real `vmp check` on files made with lavfi: exit 0 all pass, 1 any fail, 2 bad usage.
describe('vmp check', () => {
  let dir: string;
  let good: string;
  let small: string;
  const vmp = (args: string[]) => runVmp(['check', ...args], { VMP_DATA_DIR: join(dir, 'data') });

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'vmp-check-'));
    good = join(dir, 'good.mp4');
    small = join(dir, 'small.mp4');
    const tone = 'aevalsrc=0.2*sin(2*PI*1000*t)|0.2*sin(2*PI*1000*t):s=48000:d=2';
    const enc = ['-c:v', 'libx264', '-preset', 'veryfast', '-profile:v', 'high', '-pix_fmt', 'yuv420p'];
    const aac = ['-c:a', 'aac', '-b:a', '128k', '-ar', '48000', '-ac', '2', '-movflags', '+faststart'];
    await runFfmpeg([
      '-f',
      'lavfi',
      '-i',
      'color=s=1080x1920:r=30:d=2',
      '-f',
      'lavfi',
      '-i',
      tone,
      ...enc,
      ...aac,
      good,
    ]);
    await runFfmpeg([
      '-f',
      'lavfi',
      '-i',
      'color=s=640x360:r=30:d=2',
      '-f',
      'lavfi',
      '-i',
      tone,
      ...enc,
      ...aac,
      small,
    ]);
    // The manifest beside `good` records a caption drawn too low for Reels.
    await writeFile(
      join(dir, 'manifest.json'),
      JSON.stringify({
        outputs: [
          {
            file: 'small.mp4',
            textBoxes: [{ kind: 'caption', text: 'Too low', box: { x: 100, y: 1500, width: 800, height: 90 } }],
          },
        ],
      }),
    );
  }, 120_000);
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('exits 0 when every file passes', async () => {
    const run = await vmp([good, '--platform', 'reels']);
    expect(run.stderr).toBe('');
    expect(run.stdout).toMatch(/^PASS {2}.*good\.mp4 {2}\(reels\)/m);
    expect(run.stdout).toMatch(/safeZone not checked: No record of the text drawn/);
    expect(run.code).toBe(0);
  }, 60_000);

  it('exits 1 when any fails, naming each problem with its value and limit; --json carries preflight', async () => {
    const run = await vmp([good, small, '--platform', 'reels']);
    expect(run.code).toBe(1);
    expect(run.stdout).toMatch(/^FAIL {2}.*small\.mp4/m);
    expect(run.stdout).toMatch(
      /canvas: The picture is 640x360; Reels and Stories \(Meta\) wants 1080x1920\. \[value 640x360, limit 1080x1920\]/,
    );
    expect(run.stdout).toMatch(/safeZone: The caption "Too low" reaches outside/);
    expect(run.stdout).toMatch(/1 of 2 file\(s\) failed\./);
    const json = await vmp([small, '--platform', 'reels', '--json']);
    expect(json.code).toBe(1);
    const [entry] = JSON.parse(json.stdout) as {
      file: string;
      preflight: { ok: boolean; problems: { rule: string }[] };
    }[];
    expect(entry!.preflight.ok).toBe(false);
    expect(entry!.preflight.problems.map((p) => p.rule).sort()).toEqual(['canvas', 'safeZone']);
  }, 60_000);

  it('exits 2 on bad usage: an unknown placement is named with the valid ones listed', async () => {
    const unknown = await vmp([good, '--platform', 'instagram']);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toMatch(
      /Unknown placement "instagram"\. Use one of: tiktok, reels, shorts, feed-4x5, feed-1x1, youtube-16x9\./,
    );
    expect((await vmp([good])).code).toBe(2);
    expect((await vmp(['--platform', 'reels'])).code).toBe(2);
    const missing = await vmp([join(dir, 'nope.mp4'), '--platform', 'reels']);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toMatch(/nope\.mp4: no such file/);
  }, 60_000);
});
