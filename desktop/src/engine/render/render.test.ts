import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type MediaInfo, RenderSettings } from '@vmp/shared';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ffprobeJson } from '../../../test/fixtures/media.ts';
import { CancelledError } from '../errors.ts';
import { runFfmpeg } from '../ffmpeg/run.ts';
import { mix } from '../mix.ts';
import { resolveProfile } from '../profiles/profile.ts';
import { intermediateName } from './cache.ts';
import { RenderFailedError } from './errors.ts';
import { createRenderer } from './renderer.ts';
import { expectValidOutput, frameHashes, makeSource, pcmMono, planned, videoExtradata } from './testing.ts';
import type { OutputSpec, Renderer, RenderSource } from './types.ts';

// Real FFmpeg, tiny sources (1 s, small), real 1080p outputs: each normalisation costs about a second of CPU,
// so the tests share sources and one cache, and each checks several things.
describe('render engine', () => {
  let dir: string;
  let cacheDir: string;
  let renderer: Renderer;
  const src: Record<string, RenderSource> = {};
  const commands: string[] = [];

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'vmp-render-'));
    cacheDir = join(dir, 'cache');
    renderer = createRenderer({ cacheDir, concurrency: 2, onCommand: (c) => commands.push(c) });
    const specs = {
      rotated: { width: 320, height: 240, rotate: 90, audio: { frequency: 500 } },
      odd: { width: 321, height: 241, ext: 'webm', videoCodec: 'vp9' },
      anamorphic: { width: 320, height: 240, sar: '4:3', audio: false },
      vfr: { vfr: true, audio: { duration: 0.4 } },
      hevc: { videoCodec: 'hevc', audio: { duration: 1.6 } },
      webm: { ext: 'webm', width: 240, height: 320 },
      pcm51: { ext: 'mov', audio: { channels: 6 } },
    } as const;
    for (const [id, spec] of Object.entries(specs)) src[id] = await makeSource(join(dir, 'src'), id, spec);
  });
  afterAll(async () => {
    await renderer?.close();
    await rm(dir, { recursive: true, force: true });
  });

  it('probes the awkward sources as intended (guards the fixtures)', () => {
    expect(src.rotated!.info.video).toMatchObject({ rotation: 90, width: 240, height: 320 });
    expect(src.odd!.info.video).toMatchObject({ codedWidth: 321, codedHeight: 241 });
    expect(src.anamorphic!.info).toMatchObject({ audio: null, video: { width: 427 } });
    expect(src.vfr!.info.video?.vfr).toBe(true);
    expect(src.hevc!.info.video?.codec).toBe('hevc');
    expect(src.pcm51!.info.audio).toMatchObject({ codec: 'pcm_s16le', channels: 6 });
  });

  it('fast: every awkward kind comes out as a valid 9:16 output of the summed length, with manifest', async () => {
    const outDir = join(dir, 'fast');
    const settings = RenderSettings.parse({});
    const { outputs, failed, manifest } = await mix({
      projectName: 'Awkward',
      sources: Object.values(src),
      combinations: [
        { index: 0, clipIds: ['rotated', 'odd', 'anamorphic', 'vfr'] },
        { index: 1, clipIds: ['hevc', 'webm', 'pcm51'] },
      ],
      settings,
      outDir,
      cacheDir,
      renderer,
    });
    expect(failed).toEqual([]);
    expect(outputs.map((o) => o.path.split('/').pop())).toEqual([
      'Awkward-001-rotated_odd_anamorphic_vfr.mp4',
      'Awkward-002-hevc_webm_pcm51.mp4',
    ]);
    await expectValidOutput(outputs[0]!.path, { width: 1080, height: 1920, duration: 4 });
    await expectValidOutput(outputs[1]!.path, { width: 1080, height: 1920, duration: 3 });
    // Fast means no video re-encode after normalisation: assembly commands copy video.
    expect(commands.filter((c) => c.includes('-f concat')).every((c) => c.includes('-c:v copy'))).toBe(true);
    // Each distinct source was normalised exactly once.
    expect(commands.filter((c) => c.includes('-f mov'))).toHaveLength(7);
    // ...and all intermediates carry the same SPS/PPS, which is what makes the stream copy valid.
    const intermediates = (await readdir(cacheDir)).filter((f) => f.endsWith('-1080x1920-30-cover.mov'));
    expect(intermediates).toHaveLength(7);
    const configs = new Set(await Promise.all(intermediates.map((f) => videoExtradata(join(cacheDir, f)))));
    expect(configs.size).toBe(1);
    const { format } = await ffprobeJson(outputs[0]!.path);
    expect(format.tags?.title).toBe('Awkward-001-rotated_odd_anamorphic_vfr');
    expect(format.tags?.comment).toContain('combination 0: rotated + odd + anamorphic + vfr');
    expect(format.tags?.creation_time).toMatch(/^\d{4}-\d\d-\d\dT/);
    expect((await readdir(outDir)).sort()).toEqual([
      'Awkward-001-rotated_odd_anamorphic_vfr.mp4',
      'Awkward-002-hevc_webm_pcm51.mp4',
      'manifest.csv',
      'manifest.json',
    ]);
    const csv = await readFile(manifest.csv, 'utf8');
    expect(csv).toContain('Awkward-002-hevc_webm_pcm51.mp4,hevc | webm | pcm51,');
    const json = JSON.parse(await readFile(manifest.json, 'utf8'));
    expect(json.outputs[1].sources).toEqual([src.hevc!.path, src.webm!.path, src.pcm51!.path]);
  });

  it('contain and blur fit the other canvases exactly', async () => {
    const spec = (format: '16:9' | '1:1' | '4:5', fit: 'contain' | 'blur', clipIds: string[], index: number) =>
      planned({
        projectName: 'Fit',
        combination: { index, clipIds },
        sources: Object.values(src),
        settings: RenderSettings.parse({ format, fit }),
        outDir: join(dir, 'fit'),
      });
    const { outputs, failed } = await renderer.renderBatch([
      spec('16:9', 'contain', ['rotated', 'anamorphic'], 0),
      spec('1:1', 'blur', ['odd', 'webm'], 1),
    ]);
    expect(failed).toEqual([]);
    await expectValidOutput(outputs[0]!.path, { width: 1920, height: 1080, duration: 2 });
    await expectValidOutput(outputs[1]!.path, { width: 1080, height: 1080, duration: 2 });
  });

  it('unique: outputs of the same clips share no frame', async () => {
    const settings = RenderSettings.parse({ strategy: 'unique', variations: { mirror: true } });
    const specs: OutputSpec[] = [0, 1, 2].map((index) =>
      planned({
        projectName: 'Uniq',
        combination: { index, clipIds: ['rotated', 'vfr'] },
        sources: Object.values(src),
        settings,
        outDir: join(dir, 'unique'),
      }),
    );
    const { outputs, failed } = await renderer.renderBatch(specs);
    expect(failed).toEqual([]);
    const seen = new Map<string, number>();
    for (const output of outputs) {
      // Speed varies ±3 %: the length follows it, audio still matches video within a frame.
      await expectValidOutput(output.path, { width: 1080, height: 1920, duration: output.duration });
      expect(Math.abs(output.duration - 2)).toBeLessThanOrEqual(0.07);
      for (const hash of await frameHashes(output.path)) {
        const other = seen.get(hash);
        expect(
          other === undefined || other === output.index,
          `frame shared by outputs ${other} and ${output.index}`,
        ).toBe(true);
        seen.set(hash, output.index);
      }
    }
  });

  it('audio modes: mute is silent, music is mixed in and fades out at the end', async () => {
    const music = join(dir, 'music.m4a');
    await runFfmpeg(['-f', 'lavfi', '-i', 'sine=frequency=300:duration=0.6', '-c:a', 'aac', music]);
    const base = { projectName: 'Audio', sources: Object.values(src), outDir: join(dir, 'audio') };
    const { outputs, failed } = await renderer.renderBatch(
      [
        {
          ...base,
          combination: { index: 0, clipIds: ['rotated', 'anamorphic'] },
          settings: RenderSettings.parse({ audio: { mode: 'mute' } }),
        },
        {
          ...base,
          combination: { index: 1, clipIds: ['anamorphic', 'rotated'] },
          settings: RenderSettings.parse({
            audio: { mode: 'music', musicPath: music, musicVolume: 0.5, clipVolume: 0 },
          }),
        },
      ].map(planned),
    );
    expect(failed).toEqual([]);
    for (const o of outputs) await expectValidOutput(o.path, { width: 1080, height: 1920, duration: 2 });
    const silent = await pcmMono(outputs[0]!.path);
    expect(Math.max(...silent.map(Math.abs))).toBe(0);
    // Music only (clip volume 0), looped past its 0.6 s: a sine at 1/8 full scale × 0.5 has RMS ≈ 0.044 in the
    // middle; the fade takes it to near nothing by the end.
    const withMusic = await pcmMono(outputs[1]!.path);
    const rms = (from: number, to: number) => {
      let sum = 0;
      for (let i = from; i < to; i++) sum += withMusic[i]! ** 2;
      return Math.sqrt(sum / (to - from));
    };
    expect(rms(48_000 * 0.7, 48_000 * 0.9)).toBeGreaterThan(0.035);
    expect(rms(48_000 * 1.97, 48_000 * 2)).toBeLessThan(0.005);
  });

  it('a broken clip fails its output with RENDER_FAILED naming output and clip; the others still render', async () => {
    const broken = join(dir, 'src', 'broken.mp4');
    await writeFile(broken, 'not a video at all');
    const info: MediaInfo = { ...src.rotated!.info };
    const sources = [...Object.values(src), { id: 'broken', path: broken, hash: 'broken-1', info }];
    const settings = RenderSettings.parse({});
    const specs: OutputSpec[] = [
      {
        projectName: 'Err',
        combination: { index: 0, clipIds: ['rotated', 'broken'] },
        sources,
        settings,
        outDir: join(dir, 'err'),
      },
      {
        projectName: 'Err',
        combination: { index: 1, clipIds: ['rotated', 'vfr'] },
        sources,
        settings,
        outDir: join(dir, 'err'),
      },
    ].map(planned);
    const { outputs, failed } = await renderer.renderBatch(specs);
    expect(outputs.map((o) => o.index)).toEqual([1]);
    expect(failed).toHaveLength(1);
    const error = failed[0]!.error as RenderFailedError;
    expect(error).toBeInstanceOf(RenderFailedError);
    expect(error.code).toBe('RENDER_FAILED');
    expect(error.message).toContain('Output 1');
    expect(error.details).toMatchObject({ index: 0, clipId: 'broken', clipPath: broken });
    await expect(renderer.renderOutput(specs[0]!)).rejects.toMatchObject({ code: 'RENDER_FAILED' });
    expect((await readdir(join(dir, 'err'))).sort()).toEqual(['Err-002-rotated_vfr.mp4']);
    expect((await readdir(cacheDir)).filter((f) => f.endsWith('.tmp'))).toEqual([]);
  });

  it('concurrent requests for the same new intermediate share one FFmpeg run', async () => {
    const fresh = await makeSource(join(dir, 'src'), 'fresh', { color: 'navy', audio: { frequency: 700 } });
    const before = commands.length;
    const spec = (index: number): OutputSpec =>
      planned({
        projectName: 'Share',
        combination: { index, clipIds: ['fresh'] },
        sources: [fresh],
        settings: RenderSettings.parse({}),
        outDir: join(dir, 'share'),
      });
    const results = await Promise.all([renderer.renderOutput(spec(0)), renderer.renderOutput(spec(1))]);
    expect(results.map((r) => r.duration)).toEqual([1, 1]);
    const normalisations = commands.slice(before).filter((c) => c.includes(fresh.path) && c.includes('-f mov'));
    expect(normalisations).toHaveLength(1);
  });

  describe('cancel', () => {
    const cancelWhen = async (matches: (command: string) => boolean, unnamed: Parameters<typeof planned>[0]) => {
      const spec = planned(unnamed);
      const controller = new AbortController();
      const own = createRenderer({
        cacheDir,
        concurrency: 2,
        onCommand: (c) => {
          if (matches(c)) controller.abort();
        },
      });
      try {
        await expect(own.renderOutput(spec, { signal: controller.signal })).rejects.toBeInstanceOf(CancelledError);
      } finally {
        await own.close();
      }
    };

    it('while normalising: no output, no .part, no half intermediate', async () => {
      const slow = await makeSource(join(dir, 'src'), 'slow', { width: 640, height: 360, duration: 2 });
      const outDir = join(dir, 'cancel1');
      await cancelWhen((c) => c.includes('-f mov'), {
        projectName: 'Cancel',
        combination: { index: 0, clipIds: ['slow'] },
        sources: [slow],
        settings: RenderSettings.parse({}),
        outDir,
      });
      expect(await readdir(outDir).catch(() => [])).toEqual([]);
      const cached = await readdir(cacheDir);
      expect(cached.filter((f) => f.endsWith('.tmp'))).toEqual([]);
      expect(cached).not.toContain(intermediateName(slow.hash, resolveProfile()));
    });

    it('while assembling: no output and no .part left', async () => {
      const outDir = join(dir, 'cancel2');
      await cancelWhen((c) => c.includes('-f concat'), {
        projectName: 'Cancel',
        combination: { index: 0, clipIds: ['rotated', 'hevc', 'pcm51'] },
        sources: Object.values(src),
        settings: RenderSettings.parse({}),
        outDir,
      });
      expect(await readdir(outDir).catch(() => [])).toEqual([]);
    });

    it('one output of a batch, while assembling: the process stops, its mates are assembled again and complete', async () => {
      const outDir = join(dir, 'cancel-one');
      const own = new AbortController();
      const assemblies: string[] = [];
      const batchRenderer = createRenderer({
        cacheDir,
        concurrency: 1,
        onCommand: (c) => {
          if (!c.includes('-f concat')) return;
          assemblies.push(c);
          if (assemblies.length === 1) own.abort();
        },
      });
      const spec = (index: number, clipIds: string[]): OutputSpec => ({
        projectName: 'CancelOne',
        combination: { index, clipIds },
        sources: Object.values(src),
        settings: RenderSettings.parse({}),
        outDir,
        fileName: `out-${index}.mp4`,
      });
      const cancelled: number[] = [];
      try {
        const result = await batchRenderer.renderBatch(
          [spec(0, ['rotated', 'hevc']), spec(1, ['hevc', 'rotated']), spec(2, ['rotated'])],
          { outputSignals: [undefined, own.signal, undefined], onOutputCancelled: (i) => cancelled.push(i) },
        );
        expect(result.outputs.map((o) => o.index)).toEqual([0, 2]);
        expect(result).toMatchObject({ failed: [], cancelled: [1] });
        expect(cancelled).toEqual([1]);
        // First process: all three outputs; second: the two left.
        expect(assemblies.map((c) => (c.match(/\.mp4\.part/g) ?? []).length)).toEqual([3, 2]);
        expect((await readdir(outDir)).sort()).toEqual(['out-0.mp4', 'out-2.mp4']);
        for (const o of result.outputs)
          await expectValidOutput(o.path, { width: 1080, height: 1920, duration: o.duration });
      } finally {
        await batchRenderer.close();
      }
    });
  });
});
