import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type MediaInfo, RenderSettings } from '@vmp/shared';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ffprobeJson } from '../../../test/fixtures/media.ts';
import { runFfmpeg } from '../ffmpeg/run.ts';
import { mix } from '../mix.ts';
import { colourDistance, patchColour } from '../render/checks.ts';
import { makeSource } from '../render/testing.ts';
import type { RenderSource } from '../render/types.ts';
import { thumbnail } from '../thumbnails/thumbnail.ts';
import { colourChain, deinterlaceChain, hdrToSdrChain, isBt601, isHdr } from './colour.ts';
import { parseFilterList } from './filters.ts';

type Video = NonNullable<MediaInfo['video']>;
const video = (extra: Partial<Video> = {}): Video => ({
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
  ...extra,
});

describe('colour chains', () => {
  it('tone-maps PQ and HLG through linear light at reference white, to tagged BT.709', () => {
    const pq = video({ codec: 'hevc', pixFmt: 'yuv420p10le', colorTransfer: 'smpte2084', colorSpace: 'bt2020nc' });
    const hlg = { ...pq, colorTransfer: 'arib-std-b67' };
    expect(isHdr(pq) && isHdr(hlg)).toBe(true);
    expect(hdrToSdrChain(pq)).toContain('tin=smpte2084:min=2020_ncl:pin=2020:rin=limited:t=linear:npl=203');
    expect(hdrToSdrChain(hlg)).toContain('tin=arib-std-b67');
    expect(colourChain(pq)).toMatch(/tonemap=tonemap=mobius.*zscale=t=709:m=709:r=limited,format=yuv420p,$/);
  });

  it('converts the SD matrix: tagged BT.601, or untagged SD-sized YUV', () => {
    expect(isBt601(video({ colorSpace: 'bt470bg' }))).toBe(true);
    expect(isBt601(video({ colorSpace: 'smpte170m' }))).toBe(true);
    expect(isBt601(video({ colorSpace: 'bt709', codedWidth: 640, codedHeight: 480 }))).toBe(false);
    expect(isBt601(video({ codedWidth: 640, codedHeight: 480 }))).toBe(true);
    expect(isBt601(video({ codedWidth: 640, codedHeight: 480, pixFmt: 'rgb24' }))).toBe(false);
    expect(isBt601(video())).toBe(false);
    expect(colourChain(video())).toBe('');
    expect(colourChain(video({ colorSpace: 'bt470bg' }))).toContain('out_color_matrix=bt709');
  });

  it('deinterlaces by field order; flagged frames only when the stream does not say', () => {
    expect(deinterlaceChain(video({ fieldOrder: 'tt' }))).toBe('bwdif=mode=send_frame:parity=tff:deint=all,');
    expect(deinterlaceChain(video({ fieldOrder: 'bb' }))).toBe('bwdif=mode=send_frame:parity=bff:deint=all,');
    expect(deinterlaceChain(video({ fieldOrder: 'progressive' }))).toBe('');
    expect(deinterlaceChain(video())).toContain('deint=interlaced');
    expect(deinterlaceChain(video({ codec: 'vp9' }))).toBe('');
  });

  it('reads the filter list of ffmpeg -filters', () => {
    const names = parseFilterList(' .SC zscale            V->V       Apply resizing\n T.. bwdif  V->V  x\n Filters:\n');
    expect([...names]).toEqual(['zscale', 'bwdif']);
  });
});

// Orange #E07828 as SDR, placed at reference white in HLG and PQ (BT.2408), and as SD BT.601: each must come out
// as the same orange. Before conversion, HLG gave about (160,115,56) and PQ (129,107,69).
const ORANGE = [0xe0, 0x78, 0x28];
const TOLERANCE = 6; // ≈ 2.5 % of full scale: 4:2:0 chroma and 8-bit rounding, both ways

describe('HDR and SD sources come out as BT.709 SDR', () => {
  let dir: string;
  const src: Record<string, RenderSource> = {};

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'vmp-colour-'));
    const specs = {
      hlg: { color: '0xE07828', hdr: { transfer: 'hlg' } },
      pq: { color: '0xE07828', hdr: { transfer: 'pq' } },
      sd: { color: '0xE07828', width: 640, height: 480, bt601: true },
      hd: { color: '0xE07828', width: 1280, height: 720, bt709: true },
    } as const;
    for (const [id, spec] of Object.entries(specs)) src[id] = await makeSource(join(dir, 'src'), id, spec);
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('probes the sources as intended (guards the fixtures)', () => {
    expect(src.hlg!.info.video).toMatchObject({ colorTransfer: 'arib-std-b67', colorPrimaries: 'bt2020' });
    expect(src.pq!.info.video).toMatchObject({ colorTransfer: 'smpte2084', pixFmt: 'yuv420p10le' });
    expect(src.sd!.info.video?.colorSpace).toBe('bt470bg');
  });

  it('fast and unique: the orange patch keeps its colour, outputs are tagged BT.709', async () => {
    for (const strategy of ['fast', 'unique'] as const) {
      const settings = RenderSettings.parse({
        format: '1:1',
        strategy,
        variations: { speed: 0, zoom: 0, color: 0, mirror: false },
      });
      const { outputs, failed } = await mix({
        projectName: strategy,
        sources: Object.values(src),
        combinations: [{ index: 0, clipIds: ['hlg', 'pq', 'sd', 'hd'] }],
        settings,
        outDir: join(dir, strategy),
        cacheDir: join(dir, 'cache'),
      });
      expect(failed).toEqual([]);
      const file = outputs[0]!.path;
      for (const [k, id] of ['hlg', 'pq', 'sd', 'hd'].entries()) {
        const rgb = await patchColour(file, k + 0.5);
        expect(
          colourDistance(rgb, ORANGE),
          `${strategy} ${id}: (${rgb.map(Math.round).join(',')})`,
        ).toBeLessThanOrEqual(TOLERANCE);
      }
      const v = (await ffprobeJson(file)).streams.find((s) => s.codec_type === 'video') as unknown as Record<
        string,
        unknown
      >;
      expect([v.color_space, v.color_transfer, v.color_primaries]).toEqual(['bt709', 'bt709', 'bt709']);
    }
  });

  it('thumbnails of HDR clips are tone-mapped too', async () => {
    for (const id of ['hlg', 'pq']) {
      const jpeg = await thumbnail(src[id]!.path, { cacheDir: join(dir, 'thumbs'), info: src[id]!.info });
      const rgb = await patchColour(jpeg, 0, 'bt709');
      // JPEG is full range; decoding it as limited stretches a little, so allow more.
      expect(colourDistance(rgb, ORANGE), `${id}: (${rgb.map(Math.round).join(',')})`).toBeLessThanOrEqual(16);
    }
  });

  it('rolls highlights above reference white off smoothly instead of clipping them', async () => {
    const levels: number[] = [];
    for (const nits of [100, 203, 406, 812]) {
      // White at `nits` in PQ, through the same chain as a clip.
      const { stdout } = await runFfmpeg(
        [
          '-f',
          'lavfi',
          '-i',
          'color=c=white:s=64x64:d=0.1',
          '-vf',
          `format=gbrp,zscale=tin=bt709:pin=bt709:t=smpte2084:m=bt2020nc:p=bt2020:r=tv:npl=${nits},format=yuv420p10le,` +
            `${colourChain(video({ colorTransfer: 'smpte2084', colorSpace: 'bt2020nc' }))}` +
            'scale=in_color_matrix=bt709:in_range=tv:out_range=pc,format=gray',
          '-frames:v',
          '1',
          '-f',
          'rawvideo',
          '-',
        ],
        { captureStdout: true },
      );
      levels.push(stdout[0]!);
    }
    const [half, white, double, quadruple] = levels as [number, number, number, number];
    expect(white, `levels ${levels.join(' ')}`).toBeGreaterThanOrEqual(235);
    expect(half).toBeLessThan(white);
    expect(double).toBeGreaterThan(white);
    expect(quadruple).toBeGreaterThan(double);
    expect(double).toBeLessThan(255);
  });
});
