import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runFfmpeg } from '../ffmpeg/run.ts';
import { dHash, hamming, nearDuplicateReport, openingHashes, sequenceDistance } from './index.ts';

describe('dHash', () => {
  it('sets a bit where a pixel is brighter than its right neighbour', () => {
    const falling = Buffer.from(Array.from({ length: 72 }, (_, i) => 255 - (i % 9) * 20));
    const rising = Buffer.from(Array.from({ length: 72 }, (_, i) => (i % 9) * 20));
    expect(dHash(falling)).toBe((1n << 64n) - 1n);
    expect(dHash(rising)).toBe(0n);
    expect(hamming(dHash(falling), dHash(rising))).toBe(64);
    expect(sequenceDistance([0n, 3n], [1n, 3n, 7n])).toBe(0.5);
  });
});

// Real clips: the same opening re-encoded differently and followed by different footage is a near-duplicate; a
// different opening is not; a different placement is never compared.
describe('near-duplicate report (real FFmpeg)', () => {
  let dir: string;
  const file = (name: string) => join(dir, `${name}.mp4`);
  const make = async (name: string, first: string, then: string, crf: number) => {
    await runFfmpeg([
      ...['-f', 'lavfi', '-i', `${first}=s=360x640:r=30:d=3`, '-f', 'lavfi', '-i', `${then}=s=360x640:r=30:d=2`],
      ...['-filter_complex', '[0:v][1:v]concat=n=2:v=1[v]', '-map', '[v]'],
      ...['-c:v', 'libx264', '-preset', 'veryfast', '-crf', String(crf), '-pix_fmt', 'yuv420p', file(name)],
    ]);
  };

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'vmp-similar-'));
    await make('hook1-body1', 'testsrc', 'smptebars', 20);
    await make('hook1-body2', 'testsrc', 'rgbtestsrc', 34);
    await make('hook2-body1', 'testsrc2', 'smptebars', 20);
    await make('hook3-body1', 'smptebars', 'smptebars', 20);
  }, 120_000);
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('samples six frames of the first 3 s', async () => {
    expect(await openingHashes(file('hook1-body1'))).toHaveLength(6);
  }, 60_000);

  it('pairs outputs of one placement whose openings match, and only those', async () => {
    const report = await nearDuplicateReport([
      { path: file('hook1-body1'), placement: 'reels' },
      { path: file('hook1-body2'), placement: 'reels' },
      { path: file('hook2-body1'), placement: 'reels' },
      { path: file('hook3-body1'), placement: 'reels' },
      { path: file('hook1-body1'), placement: 'feed-4x5' },
    ]);
    expect(report.map((p) => [p.placement, p.a, p.b])).toEqual([['reels', 'hook1-body1.mp4', 'hook1-body2.mp4']]);
    expect(report[0]!.distance).toBeLessThan(3);
  }, 60_000);
});
