// Helpers for the render tests and the benchmark: real media in, assertions on real outputs. Not part of the app.
import { expect } from 'vitest';
import { type ClipSpec, decodeErrors, ffprobeJson, makeClip } from '../../../test/fixtures/media.ts';
import { runFfmpeg, runFfprobe } from '../ffmpeg/run.ts';
import { contentKey } from '../hash/content-key.ts';
import { planFileNames } from '../plan-outputs.ts';
import { probeFile } from '../probe/probe.ts';
import type { OutputSpec, RenderSource } from './types.ts';

export async function makeSource(dir: string, id: string, spec: ClipSpec): Promise<RenderSource> {
  const path = await makeClip(dir, id, spec);
  return { id, path, hash: await contentKey(path), info: await probeFile(path) };
}

/**
 * The delivery contract of every output: one H.264 yuv420p stream at exactly the canvas size with SAR 1, one AAC
 * stereo 48 kHz track, audio and video within one frame of each other and of the expected length, clean decode.
 */
export async function expectValidOutput(
  file: string,
  expected: { width: number; height: number; duration: number; fps?: number },
): Promise<void> {
  const frame = 1 / (expected.fps ?? 30);
  const { streams } = await ffprobeJson(file);
  const videos = streams.filter((s) => s.codec_type === 'video');
  const audios = streams.filter((s) => s.codec_type === 'audio');
  expect(videos).toHaveLength(1);
  expect(audios).toHaveLength(1);
  const [v, a] = [videos[0]!, audios[0]!];
  expect({ codec: v.codec_name, pix: v.pix_fmt, w: v.width, h: v.height, sar: v.sample_aspect_ratio ?? '1:1' }).toEqual(
    {
      codec: 'h264',
      pix: 'yuv420p',
      w: expected.width,
      h: expected.height,
      sar: '1:1',
    },
  );
  expect({ codec: a.codec_name, channels: a.channels, rate: a.sample_rate }).toEqual({
    codec: 'aac',
    channels: 2,
    rate: '48000',
  });
  const vd = Number(v.duration);
  const ad = Number(a.duration);
  expect(Math.abs(vd - ad), `audio ${ad}s vs video ${vd}s in ${file}`).toBeLessThanOrEqual(frame + 1e-3);
  expect(Math.abs(vd - expected.duration), `video ${vd}s, expected ${expected.duration}s`).toBeLessThanOrEqual(
    frame + 1e-3,
  );
  expect(await decodeErrors(file)).toBe('');
}

/** The H.264 decoder configuration (avcC: SPS/PPS) of a file's video stream, as ffprobe prints it. */
export async function videoExtradata(file: string): Promise<string> {
  const { stdout } = await runFfprobe(['-select_streams', 'v:0', '-show_streams', '-show_data', file]);
  const text = stdout.toString('utf8');
  const start = text.indexOf('extradata=');
  expect(start, `no extradata in ${file}`).toBeGreaterThanOrEqual(0);
  // The hex dump runs over several lines, up to the next "key=" line.
  return text.slice(start).split(/\n[a-z_]+=/)[0]!;
}

/** Per-frame MD5s of the decoded video (ffmpeg's framemd5 muxer). */
export async function frameHashes(file: string): Promise<string[]> {
  const { stdout } = await runFfmpeg(['-i', file, '-map', '0:v:0', '-f', 'framemd5', '-'], { captureStdout: true });
  return stdout
    .toString('utf8')
    .split('\n')
    .filter((l) => l && !l.startsWith('#'))
    .map((l) => l.split(',').pop()!.trim());
}

/** Decodes video to tiny RGB frames: [r, g, b] mean per frame. */
export async function frameColours(file: string): Promise<[number, number, number][]> {
  const { stdout } = await runFfmpeg(
    ['-i', file, '-map', '0:v:0', '-vf', 'scale=4:4', '-f', 'rawvideo', '-pix_fmt', 'rgb24', '-'],
    { captureStdout: true },
  );
  const frames: [number, number, number][] = [];
  for (let at = 0; at + 48 <= stdout.length; at += 48) {
    const sum = [0, 0, 0];
    for (let p = 0; p < 16; p++) for (let c = 0; c < 3; c++) sum[c]! += stdout[at + p * 3 + c]!;
    frames.push([sum[0]! / 16, sum[1]! / 16, sum[2]! / 16]);
  }
  return frames;
}

/** Decodes audio to mono float samples at 48 kHz. */
export async function pcmMono(file: string): Promise<Float32Array> {
  const { stdout } = await runFfmpeg(['-i', file, '-map', '0:a:0', '-ac', '1', '-ar', '48000', '-f', 'f32le', '-'], {
    captureStdout: true,
  });
  return new Float32Array(stdout.buffer, stdout.byteOffset, Math.floor(stdout.length / 4));
}

/** Goertzel power of one frequency over samples[start, start + length). */
export function goertzel(
  samples: Float32Array,
  start: number,
  length: number,
  frequency: number,
  rate = 48_000,
): number {
  const coeff = 2 * Math.cos((2 * Math.PI * frequency) / rate);
  let s1 = 0;
  let s2 = 0;
  for (let i = start; i < start + length; i++) {
    const s0 = (samples[i] ?? 0) + coeff * s1 - s2;
    s2 = s1;
    s1 = s0;
  }
  return s1 * s1 + s2 * s2 - coeff * s1 * s2;
}

/**
 * Times (s) where the dominant tone among `frequencies` changes, from 5 ms windows hopped by 1 ms.
 * A change is placed at the centre of the first window the new tone dominates.
 */
export function toneChanges(samples: Float32Array, frequencies: readonly number[], rate = 48_000): number[] {
  const window = Math.round(rate * 0.005);
  const hop = Math.round(rate * 0.001);
  const changes: number[] = [];
  let current = -1;
  for (let start = 0; start + window <= samples.length; start += hop) {
    const powers = frequencies.map((f) => goertzel(samples, start, window, f, rate));
    const best = powers.indexOf(Math.max(...powers));
    const total = powers.reduce((a, b) => a + b, 0);
    if (total < 1e-6 || powers[best]! < 0.8 * total) continue; // silence or a window straddling the join
    if (best !== current) {
      if (current >= 0) changes.push((start + window / 2) / rate);
      current = best;
    }
  }
  return changes;
}

/** Times (s) of frames whose dominant colour channel differs from the previous frame's. */
export function colourChanges(frames: readonly [number, number, number][], fps: number): number[] {
  const dominant = frames.map((rgb) => rgb.indexOf(Math.max(...rgb)));
  const changes: number[] = [];
  for (let i = 1; i < dominant.length; i++) if (dominant[i] !== dominant[i - 1]) changes.push(i / fps);
  return changes;
}

/** A test's spec with the file name planning would give it (planFileNames), when it names none itself. */
export function planned(spec: Omit<OutputSpec, 'fileName'> & { fileName?: string }): OutputSpec {
  if (spec.fileName) return { ...spec, fileName: spec.fileName };
  const paths = new Map(spec.sources.map((s) => [s.id, s.path]));
  const [fileName] = planFileNames(spec.projectName, [spec.combination], paths, spec.settings);
  return { ...spec, fileName: fileName! };
}
