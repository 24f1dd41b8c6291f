import type { MediaInfo } from '@vmp/shared';
import { zimgMatrix } from './tags.ts';

type Video = NonNullable<MediaInfo['video']>;

/** SDR reference white in nits (ITU-R BT.2408): HDR content at this level maps to SDR 100 %. */
export const REFERENCE_WHITE_NITS = 203;
/** Brightest level kept apart from white when tone mapping: what HLG displays and most PQ phone clips reach. */
export const HDR_PEAK_NITS = 1000;

const HDR_TRANSFERS = new Set(['smpte2084', 'arib-std-b67']);
const BT601_MATRICES = new Set(['bt470bg', 'smpte170m', 'bt601']);
const INTERLACED = new Set(['tt', 'bb', 'tb', 'bt']);

export function isHdr(video: Video | null | undefined): boolean {
  return !!video?.colorTransfer && HDR_TRANSFERS.has(video.colorTransfer);
}

export function isInterlaced(video: Video | null | undefined): boolean {
  return !!video?.fieldOrder && INTERLACED.has(video.fieldOrder);
}

/**
 * Whether the picture uses the SD (BT.601) matrix: tagged so, or untagged and SD-sized (what players assume, and
 * what FFmpeg's own RGB→YUV writes when nothing is said).
 */
export function isBt601(video: Video | null | undefined): boolean {
  if (!video || isHdr(video)) return false;
  if (video.colorSpace) return BT601_MATRICES.has(video.colorSpace);
  return Math.min(video.codedWidth, video.codedHeight) < 720 && !/^(rgb|bgr|gbr|argb|abgr|pal8)/.test(video.pixFmt);
}

/**
 * HDR (PQ or HLG, BT.2020) → SDR BT.709, 8-bit 4:2:0, limited range. Linear light is scaled so reference white
 * (203 nit) is SDR white; Möbius keeps everything up to 80 % of white untouched and rolls brighter highlights off
 * smoothly up to the HDR peak (hue kept: FFmpeg's tonemap scales R, G and B together).
 */
export function hdrToSdrChain(video: Video): string {
  const peak = HDR_PEAK_NITS / REFERENCE_WHITE_NITS;
  const tin = video.colorTransfer === 'smpte2084' ? 'smpte2084' : 'arib-std-b67';
  const rin = video.colorRange === 'pc' ? 'full' : 'limited';
  return (
    `zscale=tin=${tin}:min=${zimgMatrix(video.colorSpace)}:pin=2020:rin=${rin}:t=linear:npl=${REFERENCE_WHITE_NITS},` +
    `format=gbrpf32le,zscale=p=709,tonemap=tonemap=mobius:param=0.8:peak=${peak.toFixed(4)}:desat=0,` +
    'zscale=t=709:m=709:r=limited,format=yuv420p'
  );
}

/** SD matrix → BT.709 (matrix only: SD and HD primaries are close enough that players ignore the difference). */
export function bt601ToBt709Chain(video: Video): string {
  const from = video.colorSpace === 'smpte170m' ? 'smpte170m' : 'bt470bg';
  const range = video.colorRange === 'pc' ? 'pc' : 'tv';
  return `scale=in_color_matrix=${from === 'smpte170m' ? 'smpte170m' : 'bt601'}:out_color_matrix=bt709:in_range=${range}:out_range=tv,format=yuv420p`;
}

/** Filters (comma-terminated, possibly empty) that make the picture BT.709 SDR; run after the frame-rate change. */
export function colourChain(video: Video | null | undefined): string {
  if (!video) return '';
  if (isHdr(video)) return `${hdrToSdrChain(video)},`;
  if (isBt601(video)) return `${bt601ToBt709Chain(video)},`;
  return '';
}

// Codecs that can carry interlaced pictures (and whose decoders flag them frame by frame).
const INTERLACE_CAPABLE = new Set(['h264', 'mpeg2video', 'mpeg1video', 'mpeg4', 'vc1', 'dvvideo', 'prores']);

/**
 * bwdif when the stream says it is interlaced (one frame per frame: the rate change follows anyway). When the
 * stream does not say (older ffprobe leaves bottom-field-first H.264 "unknown"), bwdif deinterlaces only the frames
 * the decoder flags as interlaced and passes progressive ones through untouched.
 */
export function deinterlaceChain(video: Video | null | undefined): string {
  if (!video || video.fieldOrder === 'progressive') return '';
  if (isInterlaced(video)) {
    const parity = video.fieldOrder === 'bb' || video.fieldOrder === 'tb' ? 'bff' : 'tff';
    return `bwdif=mode=send_frame:parity=${parity}:deint=all,`;
  }
  return INTERLACE_CAPABLE.has(video.codec) ? 'bwdif=mode=send_frame:parity=auto:deint=interlaced,' : '';
}
