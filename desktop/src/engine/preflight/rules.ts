import type { Placement, Preflight, PreflightProblem, PreflightRule } from '@vmp/shared';
import { insideZone, type Rect } from '../text/layout.ts';
import type { FileFacts } from './facts.ts';

/** A box the engine drew text in, as recorded at render time (manifest `textBoxes`). */
export interface DrawnBox {
  kind: 'caption' | 'headline' | 'watermark';
  text: string;
  box: Rect;
}

/** Frame rates the platforms take (23.976 to 60 fps). */
export const MIN_FPS = 23.97;
export const MAX_FPS = 60;

const MB = 1024 * 1024;
const size = (bytes: number) =>
  bytes >= 1024 * MB ? `${(bytes / 1024 / MB).toFixed(1)} GB` : `${(bytes / MB).toFixed(1)} MB`;

/**
 * Every rule of the placement against the file's facts. Pure: the same facts always give the same problems.
 * `boxes` undefined: no record of the text drawn, so the safe-zone rule is skipped (said so, never passed silently).
 */
export function judge(facts: FileFacts, placement: Placement, boxes?: readonly DrawnBox[]): Preflight {
  const problems: PreflightProblem[] = [];
  const skipped: { rule: PreflightRule; reason: string }[] = [];
  const fail = (rule: PreflightRule, message: string, value: string | number | null, limit: string | number | null) =>
    problems.push({ rule, message, value, limit });
  const enc = placement.encoding;
  const name = placement.label;

  const duration = Number(facts.duration.toFixed(3));
  if (duration > placement.maxDuration)
    fail(
      'duration',
      `${duration} s is longer than ${name} plays (${placement.maxDuration} s).`,
      duration,
      placement.maxDuration,
    );
  if (duration < placement.minDuration)
    fail(
      'duration',
      `${duration} s is shorter than ${name} takes (${placement.minDuration} s).`,
      duration,
      placement.minDuration,
    );
  if (facts.size > placement.maxFileSize)
    fail(
      'fileSize',
      `${size(facts.size)} is more than ${name} accepts (${size(placement.maxFileSize)}).`,
      facts.size,
      placement.maxFileSize,
    );
  if (facts.moovFirst !== true)
    fail(
      'moovFirst',
      'The index (moov) is not at the front of the file: re-mux with -movflags +faststart.',
      facts.moovFirst === false ? 'after mdat' : 'not found',
      'before mdat',
    );

  const v = facts.video;
  if (!v) {
    fail('videoCodec', 'The file has no video stream.', null, enc.videoCodec);
  } else {
    const canvas = `${v.width}x${v.height}`;
    const want = `${placement.width}x${placement.height}`;
    if (canvas !== want) fail('canvas', `The picture is ${canvas}; ${name} wants ${want}.`, canvas, want);
    const fps = Number(v.fps.toFixed(3));
    if (fps < MIN_FPS || fps > MAX_FPS)
      fail('frameRate', `${fps} fps is outside ${MIN_FPS}–${MAX_FPS} fps.`, fps, `${MIN_FPS}-${MAX_FPS}`);
    if (!v.constantFrameRate)
      fail('constantFrameRate', 'Frames do not all last the same time (variable frame rate).', 'variable', 'constant');
    if (v.codec !== enc.videoCodec)
      fail('videoCodec', `Video is ${v.codec}; ${name} wants H.264.`, v.codec, enc.videoCodec);
    else if (v.profile !== enc.profile)
      fail(
        'videoProfile',
        `H.264 profile is ${v.profile}; the delivery profile is ${enc.profile}.`,
        v.profile,
        enc.profile,
      );
    if (v.pixFmt !== enc.pixFmt)
      fail('pixelFormat', `Pixel format is ${v.pixFmt}; phones play ${enc.pixFmt}.`, v.pixFmt, enc.pixFmt);
  }

  const a = facts.audio;
  if (!a) {
    fail('audio', 'The file has no audio stream (platforms expect one, even silent).', null, 'AAC-LC stereo');
  } else {
    if (a.codec !== enc.audioCodec || a.profile !== enc.audioProfile)
      fail(
        'audioCodec',
        `Audio is ${a.codec} ${a.profile}; the delivery format is AAC-LC.`,
        `${a.codec} ${a.profile}`.trim(),
        'aac LC',
      );
    if (a.sampleRate !== enc.sampleRate)
      fail(
        'audioSampleRate',
        `Audio is sampled at ${a.sampleRate} Hz, not ${enc.sampleRate} Hz.`,
        a.sampleRate,
        enc.sampleRate,
      );
    if (a.channels !== enc.channels)
      fail('audioChannels', `Audio has ${a.channels} channel(s), not stereo.`, a.channels, enc.channels);
    // 2 % slack: the AAC encoder's average lands a little under its target on short files.
    if (a.bitrate !== null && a.bitrate < enc.minAudioBitrate * 0.98)
      fail(
        'audioBitrate',
        `Audio is ${Math.round(a.bitrate / 1000)} kb/s, under ${enc.minAudioBitrate / 1000} kb/s.`,
        a.bitrate,
        enc.minAudioBitrate,
      );
  }

  const l = facts.loudness;
  const target = placement.loudness;
  if (l) {
    // −70 LUFS is ebur128's gate: silence. A silent track is allowed (muted outputs), its loudness is not judged.
    if (l.integrated > -70 && Math.abs(l.integrated - target.integrated) > target.tolerance)
      fail(
        'loudness',
        `Integrated loudness is ${l.integrated} LUFS; the target is ${target.integrated} ± ${target.tolerance} LUFS.`,
        l.integrated,
        target.integrated,
      );
    if (l.truePeak !== null && l.truePeak > target.truePeak)
      fail('truePeak', `True peak is ${l.truePeak} dBTP, above ${target.truePeak} dBTP.`, l.truePeak, target.truePeak);
  }

  if (!boxes) {
    skipped.push({
      rule: 'safeZone',
      reason: 'No record of the text drawn (made elsewhere, or its manifest.json is missing).',
    });
  } else {
    for (const b of boxes) {
      if (!insideZone(b.box, placement, placement.safeZone)) {
        const { x, y, width, height } = b.box;
        fail(
          'safeZone',
          `The ${b.kind} "${b.text}" reaches outside ${name}'s safe zone.`,
          `${x},${y} ${width}x${height}`,
          zoneText(placement),
        );
      }
    }
  }
  return { placement: placement.name, ok: problems.length === 0, problems, skipped };
}

function zoneText(p: Placement): string {
  const z = p.safeZone;
  const pct = (n: number) => `${Math.round(n * 100)}%`;
  return `top ${pct(z.top)}, bottom ${pct(z.bottom)}, left ${pct(z.left)}, right ${pct(z.right)}`;
}
