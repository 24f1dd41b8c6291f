/**
 * ffprobe's colour and field tags this app knows (libavutil's names, "unknown"/"unspecified" left out as the probe
 * does). Anything else is treated as "the stream does not say": a tag never reaches an FFmpeg argument as written.
 */
export const COLOR_SPACES = [
  'rgb',
  'bt709',
  'fcc',
  'bt470bg',
  'smpte170m',
  'smpte240m',
  'ycgco',
  'bt2020nc',
  'bt2020c',
  'smpte2085',
  'chroma-derived-nc',
  'chroma-derived-c',
  'ictcp',
] as const;
export const COLOR_TRANSFERS = [
  'bt709',
  'gamma22',
  'gamma28',
  'bt470m',
  'bt470bg',
  'smpte170m',
  'smpte240m',
  'linear',
  'log100',
  'log316',
  'log',
  'log_sqrt',
  'iec61966-2-4',
  'bt1361e',
  'iec61966-2-1',
  'bt2020-10',
  'bt2020-12',
  'smpte2084',
  'smpte428',
  'arib-std-b67',
] as const;
export const COLOR_PRIMARIES = [
  'bt709',
  'bt470m',
  'bt470bg',
  'smpte170m',
  'smpte240m',
  'film',
  'bt2020',
  'smpte428',
  'smpte431',
  'smpte432',
  'jedec-p22',
  'ebu3213',
] as const;
export const COLOR_RANGES = ['tv', 'pc'] as const;
export const FIELD_ORDERS = ['progressive', 'tt', 'bb', 'tb', 'bt'] as const;

export type ColorSpace = (typeof COLOR_SPACES)[number];

/** zscale's matrix constant for each ffprobe matrix name (FFmpeg spells SMPTE 240M "smpte2400m"). */
const ZIMG_MATRICES: Readonly<Record<ColorSpace, string>> = {
  rgb: 'gbr',
  bt709: '709',
  fcc: 'fcc',
  bt470bg: '470bg',
  smpte170m: '170m',
  smpte240m: 'smpte2400m',
  ycgco: 'ycgco',
  bt2020nc: '2020_ncl',
  bt2020c: '2020_cl',
  smpte2085: '2020_ncl',
  'chroma-derived-nc': 'chroma-derived-nc',
  'chroma-derived-c': 'chroma-derived-c',
  ictcp: 'ictcp',
};

/** zscale's input matrix for an HDR stream: a known tag mapped, anything else (or none) BT.2020 non-constant. */
export function zimgMatrix(space: string | undefined): string {
  return space !== undefined && Object.hasOwn(ZIMG_MATRICES, space) ? ZIMG_MATRICES[space as ColorSpace] : '2020_ncl';
}
