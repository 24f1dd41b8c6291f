import type { MediaInfo } from '@vmp/shared';
import { describe, expect, it } from 'vitest';
import { colourChain, deinterlaceChain, hdrToSdrChain } from './colour.ts';
import { zimgMatrix } from './tags.ts';

type Video = NonNullable<MediaInfo['video']>;
const hdr = (extra: Partial<Video> = {}): Video => ({
  codec: 'hevc',
  codedWidth: 1920,
  codedHeight: 1080,
  width: 1920,
  height: 1080,
  rotation: 0,
  sar: '1:1',
  fps: 30,
  vfr: false,
  pixFmt: 'yuv420p10le',
  colorTransfer: 'arib-std-b67',
  ...extra,
});

// The chain as it is for an untagged matrix: what any unknown tag must give, byte for byte.
const untagged = hdrToSdrChain(hdr());

describe('colour tags reach FFmpeg only as known constants', () => {
  it('maps ffprobe matrix names to zscale constants', () => {
    expect(zimgMatrix('bt2020nc')).toBe('2020_ncl');
    expect(zimgMatrix('bt2020c')).toBe('2020_cl');
    expect(zimgMatrix('bt709')).toBe('709');
    expect(zimgMatrix('smpte240m')).toBe('smpte2400m');
    expect(zimgMatrix(undefined)).toBe('2020_ncl');
  });

  it('never pastes a job colour space into the filter graph (the reported injection)', () => {
    const attack = '709,signalstats,metadata=mode=print:file=/tmp/victim,zscale=min=709';
    for (const colorTransfer of ['smpte2084', 'arib-std-b67']) {
      const chain = colourChain(hdr({ colorTransfer, colorSpace: attack }));
      expect(chain).not.toContain('signalstats');
      expect(chain).not.toContain('/tmp/victim');
      expect(chain).toBe(`${hdrToSdrChain(hdr({ colorTransfer }))},`);
    }
    for (const odd of ['__proto__', 'constructor', 'toString', 'bt709:x=1', '']) {
      expect(hdrToSdrChain(hdr({ colorSpace: odd }))).toBe(untagged);
    }
  });

  it('other tags choose among fixed strings only', () => {
    const attack = 'pc,drawtext=text=x';
    expect(hdrToSdrChain(hdr({ colorRange: attack }))).toBe(untagged);
    expect(deinterlaceChain(hdr({ codec: 'h264', fieldOrder: attack }))).toBe(
      'bwdif=mode=send_frame:parity=auto:deint=interlaced,',
    );
    expect(colourChain(hdr({ colorTransfer: attack, codedHeight: 1080 }))).toBe('');
  });
});
