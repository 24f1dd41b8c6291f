import { basename } from 'node:path';
import { runFfmpeg } from '../ffmpeg/run.ts';
import { dHash } from './dhash.ts';

/** Seconds from the start that are compared: what a viewer sees before deciding to scroll on. */
export const OPENING_SECONDS = 3;
/** Frames sampled per second of the opening. */
export const SAMPLES_PER_SECOND = 2;

/**
 * dHashes of the opening: one FFmpeg pass decodes the first 3 s, keeps 2 frames a second and shrinks each to 9×8
 * gray (area averaging, so the hash sees the picture's layout, not noise or compression).
 */
export async function openingHashes(file: string, signal?: AbortSignal): Promise<bigint[]> {
  const { stdout } = await runFfmpeg(
    [
      '-t',
      String(OPENING_SECONDS),
      '-i',
      file,
      '-map',
      '0:v:0',
      '-vf',
      `fps=${SAMPLES_PER_SECOND},scale=9:8:flags=area,format=gray`,
      '-f',
      'rawvideo',
      '-',
    ],
    { captureStdout: true, label: `Hashing the opening of ${basename(file)}`, ...(signal ? { signal } : {}) },
  );
  const hashes: bigint[] = [];
  for (let at = 0; at + 72 <= stdout.length; at += 72) hashes.push(dHash(stdout.subarray(at, at + 72)));
  return hashes;
}
