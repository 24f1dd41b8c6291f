import { describe, expect, it } from 'vitest';
import { parseClockDuration, parseFfprobe, parseRate, parseSar, rotationOf, timestampsLookVariable } from './parse.ts';

const file = { path: '/clips/a.mp4', size: 1234 };

function videoStream(extra: Record<string, unknown> = {}) {
  return {
    index: 0,
    codec_type: 'video',
    codec_name: 'h264',
    width: 320,
    height: 240,
    sample_aspect_ratio: '1:1',
    pix_fmt: 'yuv420p',
    r_frame_rate: '30/1',
    avg_frame_rate: '30/1',
    duration: '1.500000',
    nb_frames: '45',
    ...extra,
  };
}

describe('parse helpers', () => {
  it('parses rates and refuses empty ones', () => {
    expect(parseRate('30000/1001')).toBeCloseTo(29.97, 2);
    expect(parseRate('0/0')).toBeNull();
    expect(parseRate(undefined)).toBeNull();
  });
  it('treats 0:1 and missing SAR as square pixels', () => {
    expect(parseSar('0:1')).toEqual({ text: '1:1', value: 1 });
    expect(parseSar('4:3').value).toBeCloseTo(4 / 3);
  });
  it('parses Matroska clock durations', () => {
    expect(parseClockDuration('00:00:01.987000000')).toBeCloseTo(1.987);
    expect(parseClockDuration('01:02:03.5')).toBeCloseTo(3723.5);
    expect(parseClockDuration('soon')).toBeNull();
  });
});

describe('rotationOf', () => {
  it('reads the display matrix (FFmpeg 5+: counter-clockwise degrees)', () => {
    expect(rotationOf(videoStream({ side_data_list: [{ side_data_type: 'Display Matrix', rotation: -90 }] }))).toBe(90);
    expect(rotationOf(videoStream({ side_data_list: [{ side_data_type: 'Display Matrix', rotation: 90 }] }))).toBe(270);
    expect(rotationOf(videoStream({ side_data_list: [{ side_data_type: 'Display Matrix', rotation: 180 }] }))).toBe(
      180,
    );
    expect(rotationOf(videoStream({ side_data_list: [{ side_data_type: 'Display Matrix', rotation: -180 }] }))).toBe(
      180,
    );
  });
  it('falls back to the legacy clockwise rotate tag (FFmpeg 4)', () => {
    expect(rotationOf(videoStream({ tags: { rotate: '90' } }))).toBe(90);
    expect(rotationOf(videoStream({ tags: { rotate: '270' } }))).toBe(270);
  });
  it('prefers the matrix when both are present and snaps to quarter turns', () => {
    const both = { tags: { rotate: '270' }, side_data_list: [{ side_data_type: 'Display Matrix', rotation: 90 }] };
    expect(rotationOf(videoStream(both))).toBe(270);
    expect(rotationOf(videoStream({ side_data_list: [{ side_data_type: 'Display Matrix', rotation: -89.9 }] }))).toBe(
      90,
    );
    expect(rotationOf(videoStream())).toBe(0);
  });
});

describe('timestampsLookVariable', () => {
  const cfr = Array.from({ length: 60 }, (_, i) => Math.round((i * 1000) / 30));
  it('accepts constant spacing with rounding jitter (33/34 ms)', () => {
    expect(timestampsLookVariable(cfr)).toBe(false);
  });
  it('accepts B-frame (unsorted) order', () => {
    const shuffled = [...cfr].sort((a, b) => (a % 3) - (b % 3));
    expect(timestampsLookVariable(shuffled)).toBe(false);
  });
  it('flags a pattern of gaps', () => {
    const vfr = cfr.filter((_, i) => i % 5 !== 2 && i % 7 !== 3);
    expect(timestampsLookVariable(vfr)).toBe(true);
  });
  it('ignores a single dropped frame and too few packets', () => {
    expect(timestampsLookVariable(cfr.filter((_, i) => i !== 30))).toBe(false);
    expect(timestampsLookVariable([0, 100, 110])).toBe(false);
  });
});

describe('parseFfprobe', () => {
  it('normalises a plain clip', () => {
    const info = parseFfprobe(
      {
        streams: [
          videoStream(),
          { index: 1, codec_type: 'audio', codec_name: 'aac', channels: 2, sample_rate: '48000', duration: '1.6' },
        ],
        format: { format_name: 'mov,mp4,m4a,3gp,3g2,mj2', duration: '1.600000' },
      },
      file,
    );
    expect(info).toEqual({
      container: 'mp4',
      duration: 1.5,
      size: 1234,
      video: {
        codec: 'h264',
        codedWidth: 320,
        codedHeight: 240,
        width: 320,
        height: 240,
        rotation: 0,
        sar: '1:1',
        fps: 30,
        vfr: false,
        pixFmt: 'yuv420p',
        frames: 45,
      },
      audio: { codec: 'aac', channels: 2, sampleRate: 48000, duration: 1.6 },
    });
  });

  it('applies SAR to the width, then rotation to the axes', () => {
    const anamorphic = parseFfprobe({ streams: [videoStream({ sample_aspect_ratio: '4:3' })], format: {} }, file);
    expect(anamorphic.video).toMatchObject({ width: 427, height: 240, sar: '4:3' });
    const rotated = parseFfprobe(
      { streams: [videoStream({ sample_aspect_ratio: '4:3', tags: { rotate: '90' } })], format: {} },
      file,
    );
    expect(rotated.video).toMatchObject({ width: 240, height: 427, rotation: 90, codedWidth: 320, codedHeight: 240 });
  });

  it('takes Matroska durations from tags and notices VFR from packets', () => {
    const pts = [0, 33, 100, 133, 167, 233, 267, 333, 400, 433, 467, 500, 567];
    const info = parseFfprobe(
      {
        streams: [videoStream({ duration: undefined, nb_frames: undefined, tags: { DURATION: '00:00:01.987000000' } })],
        format: { format_name: 'matroska,webm', duration: '2.021000' },
        packets: pts.map((p) => ({ stream_index: 0, pts: p })),
      },
      { path: '/x/clip.mkv', size: 10 },
    );
    expect(info.container).toBe('matroska');
    expect(info.duration).toBeCloseTo(1.987);
    expect(info.video?.vfr).toBe(true);
    expect(info.video?.frames).toBeUndefined();
  });

  it('notices VFR from r_frame_rate vs avg_frame_rate', () => {
    const info = parseFfprobe({ streams: [videoStream({ avg_frame_rate: '1230/59', nb_frames: '41' })] }, file);
    expect(info.video?.vfr).toBe(true);
    expect(info.video?.fps).toBeCloseTo(20.85, 1);
  });

  it('reads colour tags, field order and start times, leaving out what the stream does not say', () => {
    const info = parseFfprobe(
      {
        streams: [
          videoStream({
            color_space: 'bt2020nc',
            color_transfer: 'arib-std-b67',
            color_primaries: 'bt2020',
            color_range: 'unknown',
            field_order: 'tt',
            start_time: '0.000000',
          }),
          { index: 1, codec_type: 'audio', codec_name: 'aac', channels: 2, sample_rate: '48000', start_time: '0.5' },
        ],
      },
      file,
    );
    expect(info.video).toMatchObject({
      colorSpace: 'bt2020nc',
      colorTransfer: 'arib-std-b67',
      colorPrimaries: 'bt2020',
      fieldOrder: 'tt',
      startTime: 0,
    });
    expect(info.video?.colorRange).toBeUndefined();
    expect(info.audio?.startTime).toBe(0.5);
  });

  it('takes duration and frame count from packets when the stream states neither (GIF, older ffprobe)', () => {
    const packets = Array.from({ length: 12 }, (_, k) => ({ stream_index: 0, pts: k * 10, duration: 10 }));
    const gif = videoStream({ codec_name: 'gif', duration: undefined, nb_frames: undefined, time_base: '1/100' });
    const info = parseFfprobe({ streams: [gif], format: { format_name: 'gif' }, packets }, { path: '/a.gif', size: 1 });
    expect(info.duration).toBeCloseTo(1.2);
    expect(info.video?.frames).toBe(12);
  });

  it('ignores cover art and reports audio-only files', () => {
    const info = parseFfprobe(
      {
        streams: [
          { index: 0, codec_type: 'audio', codec_name: 'mp3', channels: 6, sample_rate: '44100' },
          videoStream({ index: 1, codec_name: 'mjpeg', disposition: { attached_pic: 1 } }),
        ],
        format: { format_name: 'mp3', duration: '3.5' },
      },
      { path: '/m/song.mp3', size: 99 },
    );
    expect(info.video).toBeNull();
    expect(info.audio).toEqual({ codec: 'mp3', channels: 6, sampleRate: 44100 });
    expect(info.duration).toBe(3.5);
  });
});
