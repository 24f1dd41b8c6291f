import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeAudio, makeClip, makeImage, makeTextFile, truncatedCopy } from '../../../test/fixtures/media.ts';
import { CancelledError } from '../errors.ts';
import { runFfmpeg } from '../ffmpeg/run.ts';
import { analyseClip, checkDecodes } from './analyse.ts';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'vmp-analyse-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

const codes = (a: { problems: { code: string }[] }) => a.problems.map((p) => p.code);

describe('analyseClip', () => {
  it('passes good clips, with hash and info', async () => {
    const file = await makeClip(dir, 'good', { duration: 1 });
    const result = await analyseClip(file);
    expect(result.problems).toEqual([]);
    expect(result.hash).toMatch(/^[0-9a-f]{64}$/);
    expect(result.info?.video?.width).toBe(320);
    const webm = await analyseClip(await makeClip(dir, 'good-webm', { duration: 0.6, ext: 'webm' }));
    expect(webm.problems).toEqual([]);
    const vfr = await analyseClip(await makeClip(dir, 'good-vfr', { duration: 1, vfr: true, audio: false }));
    expect(vfr.problems).toEqual([]);
  });

  it('catches truncated MP4s, index at the end or at the front, and truncated WebM', async () => {
    const moovLast = await makeClip(dir, 'whole', { duration: 1 });
    const cut = await analyseClip(await truncatedCopy(moovLast, 0.6, join(dir, 'cut.mp4')));
    expect(codes(cut)).toEqual(['UNDECODABLE']);
    expect(cut.problems[0]?.message).toContain('"cut.mp4"');

    const faststart = await makeClip(dir, 'whole-fs', { duration: 1, faststart: true });
    expect((await analyseClip(faststart)).problems).toEqual([]);
    const cutFs = await analyseClip(await truncatedCopy(faststart, 0.9, join(dir, 'cut-fs.mp4')));
    expect(codes(cutFs)).toEqual(['UNDECODABLE']);

    // Cut inside the header: ffprobe gives up, the first bytes still say MP4/WebM.
    expect(codes(await analyseClip(await truncatedCopy(moovLast, 0.0005, join(dir, 'stub.mp4'))))).toEqual([
      'UNDECODABLE',
    ]);

    const webm = await makeClip(dir, 'whole-webm', { duration: 1, ext: 'webm' });
    const cutWebm = await analyseClip(await truncatedCopy(webm, 0.7, join(dir, 'cut.webm')));
    expect(codes(cutWebm)).toEqual(['UNDECODABLE']);
    expect(codes(await analyseClip(await truncatedCopy(webm, 0.005, join(dir, 'stub.webm'))))).toEqual(['UNDECODABLE']);
  });

  it('passes an MPEG-TS with a single keyframe (an OBS-style recording: no index, nothing to seek to near the end)', async () => {
    const ts = join(dir, 'obs.ts');
    await runFfmpeg([
      ...['-f', 'lavfi', '-i', 'testsrc2=s=320x240:r=30:d=4', '-f', 'lavfi', '-i', 'sine=d=4'],
      ...['-c:v', 'libx264', '-x264-params', 'keyint=infinite:scenecut=0', '-c:a', 'aac', '-shortest'],
      ...['-f', 'mpegts', '-y', ts],
    ]);
    expect((await analyseClip(ts)).problems).toEqual([]);
    const info = (await analyseClip(ts)).info!;
    // Too long to decode whole: the last half second's packets are read instead.
    expect(await checkDecodes(ts, info, { fullDecodeMaxSeconds: 0 })).toEqual({ ok: true });
    // Decoded whole: a file that says it lasts 10 min but whose pictures stop at 4 s is still refused.
    expect(await checkDecodes(ts, { ...info, duration: 100 })).toEqual({
      ok: false,
      detail: 'no picture could be decoded near the end',
    });
  });

  it('names each kind of non-video', async () => {
    expect(codes(await analyseClip(await makeTextFile(dir, 'notes.txt', 'shopping list\n')))).toEqual(['NOT_A_VIDEO']);
    expect(codes(await analyseClip(await makeTextFile(dir, 'fake.mp4', 'not really\n')))).toEqual(['NOT_A_VIDEO']);
    expect(codes(await analyseClip(await makeImage(dir, 'photo', 'png')))).toEqual(['STILL_IMAGE']);
    expect(codes(await analyseClip(await makeImage(dir, 'photo', 'jpg')))).toEqual(['STILL_IMAGE']);
    expect(codes(await analyseClip(await makeAudio(dir, 'song', { ext: 'm4a' })))).toEqual(['AUDIO_ONLY']);
    expect(codes(await analyseClip(await makeAudio(dir, 'song', { ext: 'wav' })))).toEqual(['AUDIO_ONLY']);
    expect(codes(await analyseClip(await makeTextFile(dir, 'empty.mp4', '')))).toEqual(['EMPTY_FILE']);
    expect(codes(await analyseClip(join(dir, 'gone.mp4')))).toEqual(['MISSING']);
    await mkdir(join(dir, 'folder.mp4'));
    expect(codes(await analyseClip(join(dir, 'folder.mp4')))).toEqual(['NOT_A_VIDEO']);
  });

  it('refuses too short and too large clips', async () => {
    const short = await makeClip(dir, 'blink', { duration: 0.1, fps: 30, audio: false });
    const result = await analyseClip(short);
    expect(codes(result)).toEqual(['TOO_SHORT']);
    expect(result.problems[0]?.message).toContain('"blink.mp4"');
    const big = await analyseClip(await makeClip(dir, 'big', { duration: 0.5 }), {
      limits: { maxBytes: 1000, minDuration: 0.2 },
    });
    expect(codes(big)).toEqual(['TOO_LARGE']);
  });

  it('throws only for cancellation', async () => {
    const file = await makeClip(dir, 'cancel', { duration: 0.3, audio: false });
    const controller = new AbortController();
    controller.abort();
    await expect(analyseClip(file, { signal: controller.signal })).rejects.toBeInstanceOf(CancelledError);
  });
});
