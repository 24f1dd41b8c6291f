// `npm run bench -- --moonshot --aac`: what FFmpeg's `-aac_coder fast` would save against the default coder
// (twoloop) on delivered audio, and what it costs: CPU of encoding 8 × 10 s in one process each way (same run),
// SNR of each against the PCM it was encoded from, the loudness difference, and the decoded length in samples
// (sync: the whole output goes through one encoder either way, so joins stay where they are).
import { execFile } from 'node:child_process';
import { mkdir, readFile, rm } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { measureLoudness } from '../../desktop/src/engine/loudness/measure.ts';
import { AUDIO_OUTPUT_ARGS, AUDIO_RATE, OUTPUT_CONTAINER_ARGS } from '../../desktop/src/engine/profiles/profile.ts';

const exec = promisify(execFile);
const N = 8;
const SECONDS = 10;

/** CPU-s of a command, from GNU time. */
async function cpuOf(args: string[]): Promise<number> {
  const { stderr } = await exec('/usr/bin/time', ['-f', 'CPU %U %S', 'ffmpeg', '-v', 'error', ...args], {
    maxBuffer: 1 << 26,
  });
  const m = /CPU ([\d.]+) ([\d.]+)/.exec(stderr);
  return m ? Number(m[1]) + Number(m[2]) : Number.NaN;
}

async function pcm(file: string): Promise<Float32Array> {
  const raw = join(`${file}.f32`);
  await exec('ffmpeg', ['-v', 'error', '-y', '-i', file, '-f', 'f32le', '-ac', '2', '-ar', String(AUDIO_RATE), raw]);
  const bytes = await readFile(raw);
  return new Float32Array(bytes.buffer, bytes.byteOffset, bytes.byteLength / 4);
}

function snrDb(reference: Float32Array, decoded: Float32Array): number {
  let signal = 0;
  let noise = 0;
  const n = Math.min(reference.length, decoded.length);
  for (let i = 0; i < n; i++) {
    const r = reference[i]!;
    signal += r * r;
    noise += (r - decoded[i]!) ** 2;
  }
  return 10 * Math.log10(signal / noise);
}

export async function aacCoders(): Promise<void> {
  const dir = resolve('bench-work', 'moonshot', 'aac');
  await rm(dir, { recursive: true, force: true });
  await mkdir(dir, { recursive: true });
  // Music-like programme: a chord, a sweep and pink noise, each clip different (seeded), as 48 kHz stereo PCM.
  const sources: string[] = [];
  for (let k = 0; k < N; k++) {
    const file = join(dir, `src-${k}.wav`);
    const graph =
      `sine=f=${220 + 30 * k}:d=${SECONDS}:r=${AUDIO_RATE}[a];sine=f=${330 + 45 * k}:d=${SECONDS}:r=${AUDIO_RATE}[b];` +
      `aevalsrc='0.2*sin(2*PI*(200+300*t)*t)':d=${SECONDS}:s=${AUDIO_RATE}[c];` +
      `anoisesrc=c=pink:a=0.08:d=${SECONDS}:r=${AUDIO_RATE}:seed=${k + 1}[d];` +
      '[a][b][c][d]amix=inputs=4:normalize=0,pan=stereo|c0=c0|c1=0.9*c0,volume=0.7[out]';
    await exec('ffmpeg', ['-v', 'error', '-y', '-filter_complex', graph, '-map', '[out]', '-c:a', 'pcm_s16le', file]);
    sources.push(file);
  }
  const encode = (coder: string[], tag: string) =>
    cpuOf([
      ...sources.flatMap((s) => ['-i', s]),
      ...sources.flatMap((_, k) => [
        '-map',
        `${k}:a:0`,
        ...AUDIO_OUTPUT_ARGS,
        ...coder,
        ...OUTPUT_CONTAINER_ARGS,
        '-y',
        join(dir, `${tag}-${k}.mp4`),
      ]),
    ]);
  // Interleaved twice so every variant sees the same load.
  const variants: Array<[string, string[]]> = [
    ['default (twoloop), 128k', []],
    ['-aac_coder fast, 128k', ['-aac_coder', 'fast']],
    ['-aac_coder fast, 160k', ['-aac_coder', 'fast', '-b:a', '160k']],
  ];
  const cpu = variants.map(() => 0);
  for (let round = 0; round < 2; round++) {
    for (const [v, [, args]] of variants.entries()) cpu[v]! += await encode(args, `v${v}`);
  }
  const f = (n: number, d = 2) => n.toFixed(d);
  const refs: Float32Array[] = [];
  let refLufs = 0;
  for (const source of sources) {
    refs.push(await pcm(source));
    refLufs += (await measureLoudness(source)).integrated;
  }
  const refSamples = refs.reduce((s, r) => s + r.length / 2, 0);
  console.log(
    `AAC, ${N} × ${SECONDS} s stereo programme; CPU-s per output (encode only, mean of 2 rounds in one process of ${N}):`,
  );
  for (const [v, [name]] of variants.entries()) {
    let snr = 0;
    let lufs = 0;
    let samples = 0;
    for (let k = 0; k < N; k++) {
      const file = join(dir, `v${v}-${k}.mp4`);
      const decoded = await pcm(file);
      snr += snrDb(refs[k]!, decoded);
      samples += decoded.length / 2;
      lufs += (await measureLoudness(file)).integrated;
    }
    console.log(
      `  ${name.padEnd(24)} ${f(cpu[v]! / (2 * N), 3)} CPU-s (${f(cpu[v]! / cpu[0]!)}x), SNR vs source ${f(snr / N)} dB, loudness ${f((lufs - refLufs) / N)} LU from the source, decoded samples ${samples} of ${refSamples}`,
    );
  }
}
