import type { MediaInfo } from '@vmp/shared';
import { colourChain, deinterlaceChain } from '../colour/colour.ts';
import { type LoudnessPlan, loudnessChain } from '../loudness/gain.ts';
import { num } from './audio-graph.ts';

/**
 * The input side of a clip's video, before the fit: deinterlace (needs the source's own fields, so first), start at
 * the first frame, constant `fps`, then colour to BT.709 SDR (after the rate change: a 60 fps HDR source is
 * converted at half the cost). Ends in yuv420p.
 */
export function inputVideoChain(info: MediaInfo, fps: number): string {
  return `${deinterlaceChain(info.video)}setpts=PTS-STARTPTS,fps=${fps},` + `${colourChain(info.video)}format=yuv420p`;
}

/**
 * Where a clip's sound starts: at its own start time relative to the first video frame (container start times and
 * edit lists, as the demuxer presents them with `-copyts`: see normaliseArgs). Late audio gets silence before it,
 * early audio is cut, by aresample's first_pts; both to the sample. The decoder's first timestamp is used, not
 * ffprobe's: they differ by the AAC priming (about 21 ms) in some files. Without a video start time, the two
 * streams are simply started together.
 */
export function audioStartChain(info: MediaInfo): string {
  const start = info.video?.startTime;
  if (start === undefined) return 'asetpts=PTS-STARTPTS,';
  const shift = start < 0 ? `+${num(-start)}` : `-${num(start)}`;
  return `asetpts=PTS${shift}/TB,aresample=async=1:first_pts=0,`;
}

/** What normalisation does to a clip's own audio once it is 48 kHz float: its loudness. */
export function audioInputChain(loudness: LoudnessPlan): string {
  return loudnessChain(loudness);
}
