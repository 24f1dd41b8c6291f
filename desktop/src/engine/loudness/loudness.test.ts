import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { RenderSettings } from '@vmp/shared';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeAudio } from '../../../test/fixtures/media.ts';
import { setCommandLogger } from '../ffmpeg/run.ts';
import { mix } from '../mix.ts';
import { segmentLoudness } from '../render/checks.ts';
import { makeSource } from '../render/testing.ts';
import type { RenderSource } from '../render/types.ts';
import { loudnessChain, loudnessPlan, MAX_GAIN_DB, NO_CHANGE, refinePlan, TARGET_LUFS } from './gain.ts';
import { measureLoudness, parseEbur128 } from './measure.ts';

const SUMMARY = `[Parsed_ebur128_0 @ 0x1] Summary:

  Integrated loudness:
    I:         -41.1 LUFS
    Threshold: -51.1 LUFS

  Loudness range:
    LRA:         0.0 LU

  True peak:
    Peak:      -38.0 dBFS`;

describe('loudness rules', () => {
  it('reads the ebur128 summary, silence included', () => {
    expect(parseEbur128(`frame lines\n${SUMMARY}\n`)).toEqual({ integrated: -41.1, truePeak: -38 });
    const silence = SUMMARY.replace('-41.1 LUFS', '-70.0 LUFS').replace('-38.0 dBFS', '-inf dBFS');
    expect(parseEbur128(silence)).toEqual({ integrated: -70, truePeak: null });
    expect(() => parseEbur128('no summary here')).toThrow(/no loudness summary/);
  });

  it('brings clips to the target, limits only when peaks would pass −1 dBTP, leaves silence alone', () => {
    expect(loudnessPlan({ integrated: -41, truePeak: -38 })).toEqual({ gainDb: 27, limit: false });
    expect(loudnessPlan({ integrated: -25, truePeak: -4 })).toEqual({ gainDb: 11, limit: true });
    expect(loudnessPlan({ integrated: -8, truePeak: -0.1 })).toEqual({ gainDb: -6, limit: false });
    expect(loudnessPlan({ integrated: -70, truePeak: null })).toEqual(NO_CHANGE);
    expect(loudnessPlan({ integrated: -65, truePeak: -50 })).toEqual(NO_CHANGE);
    expect(loudnessPlan({ integrated: -59, truePeak: -50 }).gainDb).toBe(MAX_GAIN_DB);
    expect(loudnessChain(NO_CHANGE)).toBe('');
    expect(loudnessChain({ gainDb: 11, limit: true })).toMatch(
      /^volume=11dB,aresample=192000,alimiter=.*level=0:latency=1,aresample=48000,$/,
    );
    expect(refinePlan({ gainDb: 11, limit: true }, -16.5)).toEqual({ gainDb: 13.5, limit: true });
    expect(refinePlan({ gainDb: 11, limit: true }, -14.2)).toBeNull();
    expect(refinePlan({ gainDb: 11, limit: false }, -16.5)).toBeNull();
  });
});

// Sources at −41 and −25 LUFS and a silent one: each comes out at −14 LUFS (the silent one silent), the output's
// true peak ≤ −1 dBTP; each clip is measured once whatever the number of outputs and profiles.
describe('loudness normalisation in real outputs', () => {
  let dir: string;
  const src: Record<string, RenderSource> = {};
  const measured: string[] = [];

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'vmp-loudness-'));
    const at = join(dir, 'src');
    // lavfi's sine is −18 dBFS; as stereo 1 kHz it measures about −21 LUFS.
    src.quiet = await makeSource(at, 'quiet', { color: 'red', duration: 2, audio: { frequency: 1000, gainDb: -20 } });
    src.loud = await makeSource(at, 'loud', { color: 'lime', duration: 2, audio: { frequency: 1000, gainDb: -4 } });
    src.silent = await makeSource(at, 'silent', {
      color: 'blue',
      duration: 2,
      audio: { source: 'anullsrc=r=48000:cl=stereo:d=2' },
    });
    // A peaky source: short loud bursts over a quiet tone, which the gain alone would push past the ceiling.
    src.peaky = await makeSource(at, 'peaky', {
      color: 'white',
      duration: 2,
      audio: {
        source: "aevalsrc='0.04*sin(2*PI*440*t)+0.6*lt(mod(t\\,0.4)\\,0.004)*sin(2*PI*1500*t)':s=48000:d=2",
      },
    });
    setCommandLogger((command) => {
      // The engine's measurements, not this test's own per-segment ones (those seek with -ss).
      if (command.includes('ebur128') && !command.includes(' -ss ')) measured.push(command);
    });
  });
  afterAll(async () => {
    setCommandLogger(() => {});
    await rm(dir, { recursive: true, force: true });
  });

  it('measures the sources where the issue has them (guards the fixtures)', async () => {
    expect((await measureLoudness(src.quiet!.path)).integrated).toBeCloseTo(-41, 0);
    expect((await measureLoudness(src.loud!.path)).integrated).toBeCloseTo(-25, 0);
    measured.length = 0;
  });

  it('brings every clip to −14 LUFS, silence stays silent, true peak ≤ −1 dBTP; measured once per clip', async () => {
    const run = (format: '1:1' | '9:16', out: string) =>
      mix({
        projectName: 'loudness',
        sources: Object.values(src),
        combinations: [
          { index: 0, clipIds: ['quiet', 'loud', 'silent', 'peaky'] },
          { index: 1, clipIds: ['loud', 'quiet'] },
        ],
        settings: RenderSettings.parse({ format }),
        outDir: join(dir, out),
        cacheDir: join(dir, 'cache'),
      });
    const { outputs, failed } = await run('1:1', 'a');
    expect(failed).toEqual([]);
    const file = outputs[0]!.path;
    for (const [k, id] of ['quiet', 'loud', 'silent', 'peaky'].entries()) {
      const { integrated, truePeak } = await segmentLoudness(file, k * 2 + 0.05, 1.9);
      if (id === 'silent') {
        expect(truePeak, 'silent clip').toBeNull();
      } else {
        expect(Math.abs(integrated - TARGET_LUFS), `${id}: ${integrated} LUFS`).toBeLessThanOrEqual(1);
      }
    }
    const whole = await segmentLoudness(file, 0, 8);
    expect(whole.truePeak ?? -99, 'true peak of the output').toBeLessThanOrEqual(-1);
    // Four clips, measured once each (the limited one a second time after its gain), although two outputs use them.
    const inputs = measured.map((c) => /-i (\S+)/.exec(c)?.[1]);
    expect(new Set(inputs).size).toBe(4);
    expect(inputs.filter((i) => !i?.includes('peaky'))).toHaveLength(3);
    const measurements = measured.length;
    expect((await readdir(join(dir, 'cache'))).filter((n) => n.startsWith('loudness-'))).toHaveLength(4);
    // Another profile: new intermediates, no new measurement.
    expect((await run('9:16', 'b')).failed).toEqual([]);
    expect(measured).toHaveLength(measurements);
  });

  it('--loudness off leaves clips as recorded', async () => {
    const { outputs, failed } = await mix({
      projectName: 'off',
      sources: Object.values(src),
      combinations: [{ index: 0, clipIds: ['quiet', 'loud'] }],
      settings: RenderSettings.parse({ format: '1:1', loudness: 'off' }),
      outDir: join(dir, 'off'),
      cacheDir: join(dir, 'cache'),
    });
    expect(failed).toEqual([]);
    expect((await segmentLoudness(outputs[0]!.path, 0.05, 1.9)).integrated).toBeCloseTo(-41, 0);
    expect((await segmentLoudness(outputs[0]!.path, 2.05, 1.9)).integrated).toBeCloseTo(-25, 0);
  });

  it('background music keeps its volume relative to the normalised clips', async () => {
    const music = await makeAudio(join(dir, 'music'), 'music', { duration: 5 });
    const musicLufs = (await measureLoudness(music)).integrated;
    const level = async (loudness: 'normalize' | 'off') => {
      const { outputs, failed } = await mix({
        projectName: `music-${loudness}`,
        sources: Object.values(src),
        combinations: [{ index: 0, clipIds: ['quiet', 'loud'] }],
        settings: RenderSettings.parse({
          format: '1:1',
          loudness,
          audio: { mode: 'music', musicPath: music, musicVolume: 0.5, clipVolume: 0 },
        }),
        outDir: join(dir, `music-${loudness}`),
        cacheDir: join(dir, 'cache'),
      });
      expect(failed).toEqual([]);
      return (await segmentLoudness(outputs[0]!.path, 0.05, 1.9)).integrated;
    };
    // Half volume is −6 dB: under normalised clips the music sits 6 LU below −14; off, 6 LU below its own level.
    expect(await level('normalize')).toBeCloseTo(TARGET_LUFS - 6, 0);
    expect(await level('off')).toBeCloseTo(musicLufs - 6, 0);
  });
});
