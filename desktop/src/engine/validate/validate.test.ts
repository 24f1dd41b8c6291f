import type { MediaInfo } from '@vmp/shared';
import { describe, expect, it } from 'vitest';
import { ProbeFailedError } from '../probe/probe.ts';
import { DEFAULT_LIMITS, sniffContainer, validateMedia } from './validate.ts';

const video: NonNullable<MediaInfo['video']> = {
  codec: 'h264',
  codedWidth: 320,
  codedHeight: 240,
  width: 320,
  height: 240,
  rotation: 0,
  sar: '1:1',
  fps: 30,
  vfr: false,
  pixFmt: 'yuv420p',
  frames: 30,
};
const good: MediaInfo = {
  container: 'mp4',
  duration: 1,
  size: 1000,
  video,
  audio: { codec: 'aac', channels: 2, sampleRate: 48000 },
};
const path = '/home/me/clips/beach.mp4';
const codes = (problems: { code: string }[]) => problems.map((p) => p.code);

describe('validateMedia', () => {
  it('accepts a good clip', () => {
    expect(validateMedia(path, good, { size: 1000 })).toEqual([]);
    expect(validateMedia(path, good, { size: 1000 }, DEFAULT_LIMITS, { decode: { ok: true } })).toEqual([]);
  });

  it('names the file in every message', () => {
    const cases = [
      validateMedia(path, good, null),
      validateMedia(path, good, { size: 0 }),
      validateMedia(path, { ...good, duration: 0.1 }, { size: 1000 }),
      validateMedia(path, { ...good, video: null }, { size: 1000 }),
      validateMedia(path, new ProbeFailedError(path, 'Invalid data found when processing input'), { size: 10 }),
    ];
    for (const problems of cases) {
      expect(problems.length).toBeGreaterThan(0);
      for (const p of problems) expect(p.message).toContain('"beach.mp4"');
    }
  });

  it('reports missing, empty and too large files', () => {
    expect(codes(validateMedia(path, null, null))).toEqual(['MISSING']);
    expect(codes(validateMedia(path, null, { size: 0 }))).toEqual(['EMPTY_FILE']);
    const big = validateMedia(path, good, { size: 5 * 1024 ** 3 });
    expect(codes(big)).toEqual(['TOO_LARGE']);
    expect(big[0]?.message).toMatch(/5\.0 GB.*4\.0 GB/);
    expect(codes(validateMedia(path, good, { size: 2000 }, { maxBytes: 1000, minDuration: 0.2 }))).toEqual([
      'TOO_LARGE',
    ]);
  });

  it('tells text, images and audio apart from video', () => {
    const notMedia = new ProbeFailedError(path, 'Invalid data found when processing input');
    expect(codes(validateMedia(path, notMedia, { size: 10 }))).toEqual(['NOT_A_VIDEO']);
    const tty: MediaInfo = { ...good, container: 'tty', video: { ...video, codec: 'ansi' }, audio: null };
    expect(codes(validateMedia('/x/notes.txt', tty, { size: 10 }))).toEqual(['NOT_A_VIDEO']);
    const png: MediaInfo = {
      ...good,
      container: 'png_pipe',
      duration: 0,
      video: { ...video, codec: 'png' },
      audio: null,
    };
    expect(codes(validateMedia('/x/a.png', png, { size: 10 }))).toEqual(['STILL_IMAGE']);
    const jpg: MediaInfo = { ...good, container: 'image2', duration: 0.04, video: { ...video, codec: 'mjpeg' } };
    expect(codes(validateMedia('/x/a.jpg', jpg, { size: 10 }))).toEqual(['STILL_IMAGE']);
    const audioOnly: MediaInfo = { ...good, video: null };
    expect(codes(validateMedia('/x/a.m4a', audioOnly, { size: 10 }))).toEqual(['AUDIO_ONLY']);
    expect(codes(validateMedia('/x/a.bin', { ...good, video: null, audio: null }, { size: 10 }))).toEqual([
      'NOT_A_VIDEO',
    ]);
  });

  it('takes a GIF of many frames as a clip, and a one-frame GIF as a still', () => {
    const gif = { ...good, container: 'gif', audio: null, video: { ...video, codec: 'gif', pixFmt: 'bgra' } };
    expect(
      validateMedia('/a.gif', { ...gif, duration: 1.2, video: { ...gif.video, frames: 12 } }, { size: 9 }),
    ).toEqual([]);
    const still = { ...gif, duration: 0.1, video: { ...gif.video, frames: 1 } };
    expect(codes(validateMedia('/s.gif', still, { size: 9 }))).toEqual(['STILL_IMAGE']);
  });

  it('refuses HDR clips, once and naming the filter, only when FFmpeg lacks zscale/tonemap', () => {
    const hdr = { ...good, video: { ...video, colorTransfer: 'arib-std-b67', colorSpace: 'bt2020nc' } };
    const lacking = validateMedia(path, hdr, { size: 1000 }, DEFAULT_LIMITS, { filters: new Set(['tonemap']) });
    expect(codes(lacking)).toEqual(['HDR_UNSUPPORTED']);
    expect(lacking[0]!.message).toMatch(/"beach.mp4" is HDR \(HLG\).*lacks the zscale filter/);
    const full = new Set(['zscale', 'tonemap']);
    expect(validateMedia(path, hdr, { size: 1000 }, DEFAULT_LIMITS, { filters: full })).toEqual([]);
    expect(validateMedia(path, good, { size: 1000 }, DEFAULT_LIMITS, { filters: new Set() })).toEqual([]);
  });

  it('does not mistake an MJPEG video for a still', () => {
    const mjpegVideo: MediaInfo = { ...good, container: 'avi', video: { ...video, codec: 'mjpeg', frames: 60 } };
    expect(validateMedia('/x/cam.avi', mjpegVideo, { size: 10 })).toEqual([]);
  });

  it('reports truncated and undecodable files', () => {
    const moov = new ProbeFailedError(path, 'moov atom not found');
    const problems = validateMedia(path, moov, { size: 10 });
    expect(codes(problems)).toEqual(['UNDECODABLE']);
    expect(problems[0]?.message).toMatch(/cut off/);
    expect(
      codes(validateMedia(path, good, { size: 10 }, DEFAULT_LIMITS, { decode: { ok: false, detail: 'partial file' } })),
    ).toEqual(['UNDECODABLE']);
    expect(codes(validateMedia(path, new Error('weird'), { size: 10 }))).toEqual(['UNDECODABLE']);
  });

  it('tells a cut-off MP4 from a text file with an .mp4 name by its first bytes', () => {
    const moov = new ProbeFailedError(path, 'moov atom not found');
    const mp4Header = Buffer.from('\0\0\0\x20ftypisom\0\0\x02\0', 'latin1');
    const textHeader = Buffer.from('shopping list\n', 'utf8');
    expect(codes(validateMedia(path, moov, { size: 10 }, DEFAULT_LIMITS, { header: mp4Header }))).toEqual([
      'UNDECODABLE',
    ]);
    expect(validateMedia(path, moov, { size: 10 }, DEFAULT_LIMITS, { header: textHeader })).toEqual([
      { code: 'NOT_A_VIDEO', message: expect.stringContaining('"beach.mp4" is a text file, not a video.') },
    ]);
    // FFmpeg 5 no longer reads text as a tty stream: "Invalid data found" plus text bytes still says text file.
    const invalid = new ProbeFailedError(path, 'Invalid data found when processing input');
    expect(
      validateMedia(path, invalid, { size: 10 }, DEFAULT_LIMITS, { header: Buffer.from('notes: é ✓\r\n') }),
    ).toEqual([{ code: 'NOT_A_VIDEO', message: expect.stringContaining('is a text file') }]);
    const binary = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 0x0d]);
    expect(validateMedia(path, invalid, { size: 10 }, DEFAULT_LIMITS, { header: binary })[0]?.message).toMatch(
      /is not a video file/,
    );
    expect(sniffContainer(Buffer.from([0x1a, 0x45, 0xdf, 0xa3, 1, 2]))).toBe('matroska');
    expect(sniffContainer(Buffer.from('RIFF\0\0\0\0AVI LIST', 'latin1'))).toBe('avi');
    expect(sniffContainer(Buffer.from('RIFF\0\0\0\0WAVEfmt ', 'latin1'))).toBeNull();
    expect(sniffContainer(new Uint8Array())).toBeNull();
  });

  it('refuses clips under the minimum duration, at the boundary too', () => {
    expect(codes(validateMedia(path, { ...good, duration: 0.19 }, { size: 10 }))).toEqual(['TOO_SHORT']);
    expect(validateMedia(path, { ...good, duration: 0.2 }, { size: 10 })).toEqual([]);
  });
});
