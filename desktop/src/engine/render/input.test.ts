import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type MediaInfo, RenderSettings } from '@vmp/shared';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeGif } from '../../../test/fixtures/media.ts';
import { runFfmpeg } from '../ffmpeg/run.ts';
import { mix } from '../mix.ts';
import { analyseClip } from '../validate/analyse.ts';
import { edgeCombing } from './checks.ts';
import { audioStartChain, inputVideoChain } from './input-chain.ts';
import { colourChanges, expectValidOutput, frameColours, makeSource, pcmMono, toneChanges } from './testing.ts';
import type { RenderSource } from './types.ts';

const base: MediaInfo = {
  container: 'mp4',
  duration: 1,
  size: 1,
  video: {
    codec: 'h264',
    codedWidth: 1920,
    codedHeight: 1080,
    width: 1920,
    height: 1080,
    rotation: 0,
    sar: '1:1',
    fps: 30,
    vfr: false,
    pixFmt: 'yuv420p',
    fieldOrder: 'progressive',
    startTime: 0,
  },
  audio: { codec: 'aac', channels: 2, sampleRate: 48_000, startTime: 0.5 },
};

describe('input chains', () => {
  it('starts audio at its own time relative to the first video frame', () => {
    expect(audioStartChain(base)).toBe('asetpts=PTS-0/TB,aresample=async=1:first_pts=0,');
    expect(audioStartChain({ ...base, video: { ...base.video!, startTime: 1.4 } })).toContain('PTS-1.4/TB');
    expect(audioStartChain({ ...base, video: { ...base.video!, startTime: -0.0667 } })).toContain('PTS+0.0667/TB');
    const { startTime: _, ...noStart } = base.video!;
    expect(audioStartChain({ ...base, video: noStart })).toBe('asetpts=PTS-STARTPTS,');
  });

  it('deinterlaces before the rate change and converts colour after it', () => {
    const chain = inputVideoChain({ ...base, video: { ...base.video!, fieldOrder: 'tt', colorSpace: 'bt470bg' } }, 30);
    expect(chain).toMatch(/^bwdif=.*setpts=PTS-STARTPTS,fps=30,scale=in_color_matrix=bt601.*format=yuv420p$/);
    expect(inputVideoChain(base, 25)).toBe('setpts=PTS-STARTPTS,fps=25,format=yuv420p');
  });
});

// Late audio, early audio, interlaced and GIF sources in real outputs.
const TONES = [400, 1000, 2600];

describe('awkward inputs in real outputs', () => {
  let dir: string;
  const src: Record<string, RenderSource> = {};

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'vmp-input-'));
    const at = join(dir, 'src');
    src.green = await makeSource(at, 'green', { color: 'lime', duration: 1, audio: { frequency: TONES[0] } });
    // Audio starts 0.5 s after the picture: the tone must start half a second into the red clip.
    src.late = await makeSource(at, 'late', {
      color: 'red',
      duration: 1,
      audioOffset: 0.5,
      audio: { frequency: TONES[1], duration: 0.5 },
    });
    // Picture starts 0.5 s after the audio: the first half second of sound (400 Hz) is not part of the clip.
    src.early = await makeSource(at, 'early', {
      color: 'blue',
      duration: 1,
      audioOffset: -0.5,
      audio: { source: `sine=f=${TONES[0]}:d=0.5[x];sine=f=${TONES[2]}:d=1[y];[x][y]concat=v=0:a=1` },
    });
    src.interlaced = await makeSource(at, 'interlaced', { interlaced: 'tt', movingEdge: true, duration: 1 });
    src.interlacedBottom = await makeSource(at, 'interlacedBottom', { interlaced: 'bb', movingEdge: true });
    src.progressive = await makeSource(at, 'progressive', { movingEdge: true, fps: 30 });
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('probes the sources as intended (guards the fixtures)', () => {
    expect(src.late!.info.audio?.startTime).toBeGreaterThan(0.45);
    expect(src.early!.info.video?.startTime).toBeCloseTo(0.5, 2);
    expect(src.early!.info.audio?.startTime).toBe(0);
  });

  it('keeps each clip’s audio where it belongs: late audio delayed, early audio cut (≤ 10 ms)', async () => {
    const { outputs, failed } = await mix({
      projectName: 'offsets',
      sources: Object.values(src),
      combinations: [{ index: 0, clipIds: ['green', 'late', 'early'] }],
      settings: RenderSettings.parse({ format: '1:1' }),
      outDir: join(dir, 'offsets'),
      cacheDir: join(dir, 'cache'),
    });
    expect(failed).toEqual([]);
    const file = outputs[0]!.path;
    await expectValidOutput(file, { width: 1080, height: 1080, duration: 3 });
    const video = colourChanges(await frameColours(file), 30);
    const pcm = await pcmMono(file);
    expect(video.map((t) => Math.round(t * 30))).toEqual([30, 60]);
    // Late audio: silence, then the tone half a second into the red clip. Onset = the first loud sample (the
    // AAC encoder's priming leaks a faint pre-echo of the tone ~20 ms earlier; a tone detector would catch that).
    const from = Math.round((video[0]! + 0.1) * 48_000);
    const onset = (from + pcm.subarray(from).findIndex((s) => Math.abs(s) > 0.05)) / 48_000;
    expect(Math.abs(onset - (video[0]! + 0.5)), `late audio starts at ${onset} s`).toBeLessThanOrEqual(0.01);
    // Early audio: its first half second (400 Hz) is cut, so 1000 → 2600 Hz exactly at the blue clip.
    const tones = toneChanges(pcm, TONES).filter((t) => t > video[0]! + 0.6);
    expect(tones, `tone changes at ${tones.join(', ')} s`).toHaveLength(1);
    expect(Math.abs(tones[0]! - video[1]!), `early audio: ${tones[0]} vs ${video[1]}`).toBeLessThanOrEqual(0.01);
  });

  it('deinterlaces interlaced sources (tt and bb): no combing on a moving edge', async () => {
    const { outputs, failed } = await mix({
      projectName: 'interlaced',
      sources: Object.values(src),
      combinations: [
        { index: 0, clipIds: ['interlaced'] },
        { index: 1, clipIds: ['interlacedBottom'] },
        { index: 2, clipIds: ['progressive'] },
      ],
      settings: RenderSettings.parse({ format: '1:1' }),
      outDir: join(dir, 'interlaced'),
      cacheDir: join(dir, 'cache'),
    });
    expect(failed).toEqual([]);
    const [tt, bb, progressive] = await Promise.all(outputs.map((o) => edgeCombing(o.path)));
    // One field of motion is 2.7 source px = 12 output px; a clean edge moves as one (≤ 3 px of scaling blur).
    expect(progressive, 'progressive control').toBeLessThanOrEqual(3);
    expect(tt, 'top field first').toBeLessThanOrEqual(3);
    expect(bb, 'bottom field first').toBeLessThanOrEqual(3);
  });

  it('takes an animated GIF as a silent clip with its frame timing; a one-frame GIF stays a still', async () => {
    const animated = await makeGif(join(dir, 'gif'), 'animated', 12, 10);
    const still = await makeGif(join(dir, 'gif'), 'still', 1);
    const ok = await analyseClip(animated);
    expect(ok.problems).toEqual([]);
    expect(ok.info?.duration).toBeCloseTo(1.2, 2);
    expect((await analyseClip(still)).problems.map((p) => p.code)).toEqual(['STILL_IMAGE']);

    const gif: RenderSource = { id: 'gif', path: animated, hash: ok.hash!, info: ok.info! };
    const { outputs, failed } = await mix({
      projectName: 'gif',
      sources: [gif, src.green!],
      combinations: [{ index: 0, clipIds: ['gif', 'green'] }],
      settings: RenderSettings.parse({ format: '1:1' }),
      outDir: join(dir, 'gif-out'),
      cacheDir: join(dir, 'cache'),
    });
    expect(failed).toEqual([]);
    const file = outputs[0]!.path;
    await expectValidOutput(file, { width: 1080, height: 1080, duration: 2.2 });
    // 10 fps GIF at 30 fps: each GIF picture held for 3 output frames, so the picture changes every third frame.
    const changes = await pictureChanges(file, 36);
    expect(changes).toEqual([3, 6, 9, 12, 15, 18, 21, 24, 27, 30, 33]);
    // Silent while the GIF plays, then the green clip's tone.
    const pcm = await pcmMono(file);
    const peak = (from: number, to: number) =>
      pcm.subarray(Math.round(from * 48_000), Math.round(to * 48_000)).reduce((m, s) => Math.max(m, Math.abs(s)), 0);
    expect(peak(0, 1.19)).toBe(0);
    expect(peak(1.3, 2.1)).toBeGreaterThan(0.05);
  });
});

/** Output frames (of the first `frames`) whose picture differs from the previous one beyond encoding noise. */
async function pictureChanges(file: string, frames: number): Promise<number[]> {
  const { stdout } = await runFfmpeg(
    ['-i', file, '-map', '0:v:0', '-frames:v', String(frames), '-vf', 'scale=32:32,format=gray', '-f', 'rawvideo', '-'],
    { captureStdout: true },
  );
  const size = 32 * 32;
  const changes: number[] = [];
  for (let f = 1; f * size < stdout.length; f++) {
    let diff = 0;
    for (let p = 0; p < size; p++) diff += Math.abs(stdout[f * size + p]! - stdout[(f - 1) * size + p]!);
    if (diff / size > 2) changes.push(f);
  }
  return changes;
}
