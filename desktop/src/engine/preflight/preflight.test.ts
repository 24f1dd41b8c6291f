import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PLACEMENTS } from '@vmp/shared';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runFfmpeg } from '../ffmpeg/run.ts';
import { judge, moovBeforeMdat, preflight, readFacts } from './index.ts';

// Real files made with lavfi, probed with ffprobe and measured with ebur128.
describe('pre-flight', () => {
  let dir: string;
  let good: string;
  let bad: string;
  const tone = (amp: number, d: number) => `aevalsrc=${amp}*sin(2*PI*1000*t)|${amp}*sin(2*PI*1000*t):s=48000:d=${d}`;

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'vmp-preflight-'));
    good = join(dir, 'good.mp4');
    bad = join(dir, 'bad.mp4');
    // A 1 kHz stereo sine at 0.2 full scale measures about −14 LUFS.
    await runFfmpeg([
      ...['-f', 'lavfi', '-i', 'color=c=0x203050:s=1080x1920:r=30:d=2', '-f', 'lavfi', '-i', tone(0.2, 2)],
      ...['-c:v', 'libx264', '-preset', 'veryfast', '-profile:v', 'high', '-pix_fmt', 'yuv420p'],
      ...['-c:a', 'aac', '-b:a', '128k', '-ar', '48000', '-ac', '2', '-movflags', '+faststart', good],
    ]);
    // Everything wrong at once: small, 4:4:4, variable frame rate, mono 44.1 kHz at 64k, too loud, moov at the end, 61 s.
    await runFfmpeg([
      ...['-f', 'lavfi', '-i', 'color=c=0x203050:s=320x240:r=30:d=61', '-f', 'lavfi', '-i', tone(0.9, 61)],
      // Every third frame dropped and the gap kept: frames last 1/30 s or 2/30 s.
      ...['-vf', "select='not(eq(mod(n\\,3)\\,0))'", '-fps_mode', 'vfr'],
      ...['-c:v', 'libx264', '-preset', 'ultrafast', '-pix_fmt', 'yuv444p'],
      ...['-c:a', 'aac', '-b:a', '64k', '-ar', '44100', '-ac', '1', bad],
    ]);
  }, 120_000);
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('passes a file made to the Reels delivery spec', async () => {
    const result = await preflight(good, 'reels');
    expect(result.problems).toEqual([]);
    expect(result.ok).toBe(true);
    expect(result.skipped.map((s) => s.rule)).toEqual(['safeZone']);
    expect(await moovBeforeMdat(good)).toBe(true);
  }, 60_000);

  it('names every rule a non-conforming file breaks, with its value and limit', async () => {
    const facts = await readFacts(bad);
    const result = judge(facts, PLACEMENTS.reels, []);
    expect(result.ok).toBe(false);
    const byRule = Object.fromEntries(result.problems.map((p) => [p.rule, p]));
    expect(Object.keys(byRule).sort()).toEqual(
      [
        'audioBitrate',
        'audioChannels',
        'audioSampleRate',
        'canvas',
        'constantFrameRate',
        'duration',
        'frameRate',
        'loudness',
        'moovFirst',
        'pixelFormat',
        'truePeak',
        'videoProfile',
      ].sort(),
    );
    expect(byRule.duration).toMatchObject({ limit: 60 });
    expect(byRule.duration!.value).toBeGreaterThan(60);
    expect(byRule.canvas).toMatchObject({ value: '320x240', limit: '1080x1920' });
    expect(byRule.audioSampleRate).toMatchObject({ value: 44100, limit: 48000 });
    expect(byRule.moovFirst).toMatchObject({ value: 'after mdat', limit: 'before mdat' });
    expect(byRule.truePeak!.value as number).toBeGreaterThan(-1);
    // The good file for TikTok: 2 s is under TikTok's 5 s minimum.
    const tiktok = judge(await readFacts(good), PLACEMENTS.tiktok);
    expect(tiktok.problems.map((p) => p.rule)).toEqual(['duration']);
    expect(tiktok.problems[0]).toMatchObject({ value: 2, limit: 5 });
  }, 120_000);

  it('fails text the engine drew outside the placement’s safe zone, naming it', async () => {
    const facts = await readFacts(good);
    const inside = { kind: 'headline' as const, text: 'Fine', box: { x: 100, y: 300, width: 800, height: 100 } };
    const low = { kind: 'caption' as const, text: 'Too low', box: { x: 100, y: 1500, width: 800, height: 100 } };
    expect(judge(facts, PLACEMENTS.reels, [inside]).ok).toBe(true);
    const result = judge(facts, PLACEMENTS.reels, [inside, low]);
    expect(result.problems).toEqual([
      {
        rule: 'safeZone',
        message: `The caption "Too low" reaches outside Reels and Stories (Meta)'s safe zone.`,
        value: '100,1500 800x100',
        limit: 'top 14%, bottom 35%, left 6%, right 6%',
      },
    ]);
  }, 60_000);
});
