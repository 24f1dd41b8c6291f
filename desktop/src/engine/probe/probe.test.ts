import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ffprobeJson, makeClip, makeTextFile } from '../../../test/fixtures/media.ts';
import { CancelledError } from '../errors.ts';
import { ProbeFailedError, probeFile, probeMany } from './probe.ts';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'vmp-probe-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('probeFile on real media', () => {
  it('reads a plain H.264/AAC clip', async () => {
    const file = await makeClip(dir, 'plain', { duration: 1, fps: 25 });
    const info = await probeFile(file);
    expect(info.container).toBe('mp4');
    expect(info.duration).toBeCloseTo(1, 1);
    expect(info.size).toBeGreaterThan(0);
    expect(info.video).toMatchObject({ codec: 'h264', width: 320, height: 240, rotation: 0, sar: '1:1', fps: 25 });
    expect(info.video?.vfr).toBe(false);
    expect(info.video?.pixFmt).toBe('yuv420p');
    expect(info.audio).toMatchObject({ codec: 'aac', channels: 2, sampleRate: 48000 });
  });

  it('swaps display size for a rotated phone clip and agrees with ffprobe on the angle', async () => {
    const file = await makeClip(dir, 'rotated', { rotate: 90, audio: false, duration: 0.5 });
    const info = await probeFile(file);
    expect(info.video).toMatchObject({ codedWidth: 320, codedHeight: 240, width: 240, height: 320 });
    const raw = await ffprobeJson(file);
    const matrix = (raw.streams[0] as { side_data_list?: Array<{ rotation?: number }> }).side_data_list?.[0];
    expect(info.video?.rotation).toBe(((-(matrix?.rotation ?? 0) % 360) + 360) % 360);
    expect([90, 270]).toContain(info.video?.rotation);
  });

  it('applies the sample aspect ratio of anamorphic video', async () => {
    const file = await makeClip(dir, 'anamorphic', { sar: '4:3', audio: false, duration: 0.5 });
    const info = await probeFile(file);
    expect(info.video).toMatchObject({ codedWidth: 320, width: 427, height: 240, sar: '4:3' });
  });

  it('handles odd sizes, no audio, and audio longer than video', async () => {
    // Not a multiple of 16 (macroblock padding must not leak into the size).
    const odd = await probeFile(await makeClip(dir, 'odd', { width: 302, height: 170, audio: false, duration: 0.5 }));
    expect(odd.video).toMatchObject({ width: 302, height: 170 });
    expect(odd.audio).toBeNull();
    const long = await probeFile(await makeClip(dir, 'longaudio', { duration: 0.5, audio: { duration: 1.5 } }));
    expect(long.duration).toBeCloseTo(0.5, 1);
    expect(long.audio?.duration).toBeCloseTo(1.5, 1);
    const short = await probeFile(await makeClip(dir, 'shortaudio', { duration: 1, audio: { duration: 0.3 } }));
    expect(short.audio?.duration).toBeLessThan(0.5);
    expect(short.duration).toBeCloseTo(1, 1);
  });

  it('notices variable frame rate in MP4 and Matroska, and not in constant-rate clips', async () => {
    const mp4 = await probeFile(await makeClip(dir, 'vfr', { vfr: true, audio: false, duration: 1.5 }));
    expect(mp4.video?.vfr).toBe(true);
    const mkv = await probeFile(await makeClip(dir, 'vfrmkv', { vfr: true, audio: false, duration: 1.5, ext: 'mkv' }));
    expect(mkv.video?.vfr).toBe(true);
    const cfrMkv = await probeFile(await makeClip(dir, 'cfrmkv', { audio: false, duration: 1.5, ext: 'mkv' }));
    expect(cfrMkv.video?.vfr).toBe(false);
  });

  it('reads HEVC, WebM/VP9/Opus and PCM 5.1 in MOV', async () => {
    const hevc = await probeFile(await makeClip(dir, 'hevc', { videoCodec: 'hevc', audio: false, duration: 0.5 }));
    expect(hevc.video?.codec).toBe('hevc');
    const webm = await probeFile(await makeClip(dir, 'web', { ext: 'webm', duration: 0.5 }));
    expect(webm.container).toBe('webm');
    expect(webm.video?.codec).toBe('vp9');
    expect(webm.audio?.codec).toBe('opus');
    expect(webm.duration).toBeGreaterThan(0.4);
    const pcm = await probeFile(await makeClip(dir, 'pcm51', { ext: 'mov', audio: { channels: 6 }, duration: 0.5 }));
    expect(pcm.container).toBe('mov');
    expect(pcm.audio).toMatchObject({ codec: 'pcm_s16le', channels: 6, sampleRate: 48000 });
  });

  it('throws ProbeFailedError naming the file for non-media', async () => {
    const text = await makeTextFile(dir, 'notes.mp4', 'hello\n');
    const error = await probeFile(text).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ProbeFailedError);
    expect((error as ProbeFailedError).message).toContain('notes.mp4');
    expect((error as ProbeFailedError).code).toBe('PROBE_FAILED');
  });
});

describe('probeMany', () => {
  it('keeps input order, isolates failures, and honours cancellation', async () => {
    const a = await makeClip(dir, 'many-a', { duration: 0.3, audio: false });
    const bad = await makeTextFile(dir, 'many-bad.mov');
    const b = await makeClip(dir, 'many-b', { duration: 0.3, audio: false, width: 160, height: 120 });
    const results = await probeMany([a, bad, b, join(dir, 'missing.mp4')], { concurrency: 2 });
    expect(results.map((r) => r.path)).toEqual([a, bad, b, join(dir, 'missing.mp4')]);
    expect(results[0]?.info?.video?.width).toBe(320);
    expect(results[1]?.error).toBeInstanceOf(ProbeFailedError);
    expect(results[2]?.info?.video?.width).toBe(160);
    expect(results[3]?.error).toMatchObject({ code: 'ENOENT' });

    const controller = new AbortController();
    controller.abort();
    await expect(probeMany([a, b], { signal: controller.signal })).rejects.toBeInstanceOf(CancelledError);
  });
});
