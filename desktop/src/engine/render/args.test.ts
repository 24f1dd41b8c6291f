import type { MediaInfo } from '@vmp/shared';
import { describe, expect, it } from 'vitest';
import { resolveProfile } from '../profiles/profile.ts';
import { assembleArgs, concatList } from './assemble-args.ts';
import { audioGraph } from './audio-graph.ts';
import { normaliseArgs, normalisePlan } from './normalise-args.ts';
import { drawVariation, uniqueArgs, variedFrames } from './unique-args.ts';

const meta = { title: 't', comment: 'c', creationTime: '2026-01-01T00:00:00.000Z' };
const info = (audio: boolean): MediaInfo => ({
  container: 'mp4',
  duration: 1.3,
  size: 1,
  video: {
    codec: 'h264',
    codedWidth: 320,
    codedHeight: 240,
    width: 320,
    height: 240,
    rotation: 0,
    sar: '1:1',
    fps: 25,
    vfr: false,
    pixFmt: 'yuv420p',
  },
  audio: audio ? { codec: 'aac', channels: 6, sampleRate: 44_100 } : null,
});
const after = (args: string[], flag: string) => args[args.indexOf(flag) + 1];

describe('normalise arguments', () => {
  it('retimes, fits, cuts to an exact frame count and pads/cuts PCM audio to the same length', () => {
    const args = normaliseArgs('/in.mp4', info(true), resolveProfile(), '/out.mov');
    expect(normalisePlan(info(true), resolveProfile())).toEqual({ frames: 39, samples: 62_400, duration: 1.3 });
    const graph = after(args, '-filter_complex') ?? '';
    expect(graph).toContain('fps=30');
    expect(graph).toContain('trim=end_frame=39[v]');
    expect(graph).toContain('[0:a:0]asetpts=PTS-STARTPTS,aresample=48000');
    expect(graph).toContain('channel_layouts=stereo,apad,atrim=end_sample=62400');
    expect(after(args, '-c:a')).toBe('pcm_s16le');
    expect(after(args, '-f')).toBe('mov');
    expect(args.at(-1)).toBe('/out.mov');
  });

  it('gives clips without audio a silent track', () => {
    const graph = after(normaliseArgs('/in.mp4', info(false), resolveProfile(), '/o.mov'), '-filter_complex') ?? '';
    expect(graph).toContain('anullsrc=r=48000:cl=stereo');
    expect(graph).not.toContain('[0:a:0]');
  });
});

describe('fast assembly arguments', () => {
  it('stream-copies video and encodes AAC once per output, several outputs in one process', () => {
    const items = [0, 1, 2].map((k) => ({
      listFile: `/l${k}`,
      output: `/o${k}.mp4.part`,
      samples: 96_000,
      metadata: meta,
    }));
    const args = assembleArgs(items, { mode: 'keep', musicVolume: 0.3, clipVolume: 1 });
    expect(args.filter((a) => a === 'concat')).toHaveLength(3);
    const videoCodecs = args.flatMap((a, i) => (a === '-c:v' ? [args[i + 1]] : []));
    expect(videoCodecs).toEqual(['copy', 'copy', 'copy']);
    expect(args.filter((a) => a === 'aac')).toHaveLength(3);
    expect(args.filter((a) => a === '+faststart')).toHaveLength(3);
    expect(args).toContain('[a2]');
    expect(args).toContain('2:v:0');
    expect(args.filter((a) => a.startsWith('comment='))).toHaveLength(3);
  });

  it('adds one looping music input per output in music mode', () => {
    const items = [0, 1].map((k) => ({ listFile: `/l${k}`, output: `/o${k}`, samples: 48_000, metadata: meta }));
    const args = assembleArgs(items, { mode: 'music', musicPath: '/m.mp3', musicVolume: 0.25, clipVolume: 0.8 });
    expect(args.filter((a) => a === '/m.mp3')).toHaveLength(2);
    expect(args.filter((a) => a === '-stream_loop')).toHaveLength(2);
    // Inputs: list 0, music 1, list 2, music 3.
    expect(args).toContain('0:v:0');
    expect(args).toContain('2:v:0');
    expect(after(args, '-filter_complex')).toContain('[3:a:0]');
  });

  it('quotes paths in the concat list', () => {
    expect(concatList(['/a/b.mov', "/it's.mov"])).toBe("ffconcat version 1.0\nfile '/a/b.mov'\nfile '/it'\\''s.mov'\n");
  });
});

describe('audio graphs', () => {
  it('mute is a silent track of exact length', () => {
    expect(audioGraph({ mode: 'mute', musicVolume: 0.3, clipVolume: 1 }, 1000, { clipAudio: '0:a', out: 'a' })).toBe(
      'anullsrc=r=48000:cl=stereo,apad,atrim=end_sample=1000,asetpts=N/SR/TB[a]',
    );
  });

  it('music is trimmed, faded out at the end and mixed under the clips at the set volumes', () => {
    const g = audioGraph({ mode: 'music', musicVolume: 0.25, clipVolume: 0.8 }, 480_000, {
      clipAudio: '0:a:0',
      musicAudio: '1:a:0',
      out: 'a',
    });
    expect(g).toContain('volume=0.8');
    expect(g).toContain('volume=0.25');
    expect(g).toContain('afade=t=out:st=8:d=2');
    expect(g).toContain('amix=inputs=2:duration=first:dropout_transition=0:normalize=0');
    expect(g.endsWith('[a]')).toBe(true);
  });
});

describe('unique variations', () => {
  const limits = { speed: 3, zoom: 4, color: 3, mirror: true };

  it('stays within the limits, is stable per seed and differs between seeds', () => {
    for (let seed = 0; seed < 200; seed++) {
      const v = drawVariation(seed, limits);
      expect(Math.abs(v.speed - 1)).toBeLessThanOrEqual(0.03);
      expect(Math.abs(v.speed - 1)).toBeGreaterThan(0.005);
      expect(v.zoom).toBeGreaterThan(1);
      expect(v.zoom).toBeLessThanOrEqual(1.04);
      expect(Math.abs(v.contrast - 1)).toBeLessThanOrEqual(0.03);
      expect(Math.abs(v.saturation - 1)).toBeLessThanOrEqual(0.03);
    }
    expect(drawVariation(5, limits)).toEqual(drawVariation(5, limits));
    expect(drawVariation(5, limits)).not.toEqual(drawVariation(6, limits));
    expect(drawVariation(5, { ...limits, mirror: false }).mirror).toBe(false);
  });

  it('re-encodes with speed, zoom crop, colour and exact lengths', () => {
    const variation = {
      speed: 1.02,
      zoom: 1.03,
      panX: 0.5,
      panY: 0,
      brightness: 0.01,
      contrast: 0.98,
      saturation: 1.02,
      mirror: true,
    };
    const args = uniqueArgs({
      listFile: '/l',
      output: '/o',
      profile: resolveProfile(),
      frames: 90,
      variation,
      audio: { mode: 'keep', musicVolume: 0.3, clipVolume: 1 },
      metadata: meta,
    });
    const graph = after(args, '-filter_complex') ?? '';
    const frames = variedFrames(90, 1.02);
    expect(frames).toBe(88);
    expect(graph).toContain('setpts=(PTS-STARTPTS)/1.02');
    expect(graph).toContain('crop=1048:1864:16:0,scale=1080:1920');
    expect(graph).toContain('eq=brightness=0.01:contrast=0.98:saturation=1.02');
    expect(graph).toContain('hflip');
    expect(graph).toContain(`trim=end_frame=${frames}[v]`);
    expect(graph).toContain('atempo=1.02');
    expect(graph).toContain(`atrim=end_sample=${frames * 1600}`);
    expect(args).toContain('libx264');
  });

  it('muted unique outputs leave the clip audio unused', () => {
    const args = uniqueArgs({
      listFile: '/l',
      output: '/o',
      profile: resolveProfile(),
      frames: 30,
      variation: drawVariation(1, limits),
      audio: { mode: 'mute', musicVolume: 0.3, clipVolume: 1 },
      metadata: meta,
    });
    expect(after(args, '-filter_complex')).not.toContain('[0:a:0]');
  });
});
