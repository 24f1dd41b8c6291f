import { open } from 'node:fs/promises';
import { basename } from 'node:path';
import { runFfprobe } from '../ffmpeg/run.ts';
import { measureLoudness } from '../loudness/measure.ts';

/** What a delivered file is, as the pre-flight rules need it. */
export interface FileFacts {
  size: number;
  duration: number;
  video: {
    codec: string;
    profile: string;
    pixFmt: string;
    width: number;
    height: number;
    fps: number;
    /** Every frame lasts as long as every other (one distinct packet duration). */
    constantFrameRate: boolean;
  } | null;
  audio: { codec: string; profile: string; sampleRate: number; channels: number; bitrate: number | null } | null;
  /** moov atom before mdat; null when neither was found. */
  moovFirst: boolean | null;
  loudness: { integrated: number; truePeak: number | null } | null;
}

/** Top-level MP4 boxes in order until moov or mdat: which comes first. */
export async function moovBeforeMdat(file: string): Promise<boolean | null> {
  const handle = await open(file, 'r');
  try {
    const { size } = await handle.stat();
    const header = Buffer.alloc(16);
    let offset = 0;
    for (let i = 0; i < 1000 && offset + 8 <= size; i++) {
      await handle.read(header, 0, 16, offset);
      let boxSize = header.readUInt32BE(0);
      const type = header.toString('latin1', 4, 8);
      if (type === 'moov') return true;
      if (type === 'mdat') return false;
      if (boxSize === 1) boxSize = Number(header.readBigUInt64BE(8));
      else if (boxSize === 0) return null;
      if (boxSize < 8) return null;
      offset += boxSize;
    }
    return null;
  } finally {
    await handle.close();
  }
}

function rate(text: string | undefined): number {
  const [n, d] = (text ?? '0/1').split('/').map(Number);
  return d ? n! / d : 0;
}

interface ProbeStream {
  codec_type?: string;
  codec_name?: string;
  profile?: string;
  pix_fmt?: string;
  width?: number;
  height?: number;
  avg_frame_rate?: string;
  r_frame_rate?: string;
  sample_rate?: string;
  channels?: number;
  bit_rate?: string;
}

/** ffprobe (streams, then the video packets' durations), the box order, and an ebur128 pass over the audio. */
export async function readFacts(file: string, signal?: AbortSignal): Promise<FileFacts> {
  const label = `Checking ${basename(file)}`;
  const opts = { captureStdout: true, label, ...(signal ? { signal } : {}) };
  const { stdout } = await runFfprobe(
    [
      '-v',
      'error',
      '-show_entries',
      'format=duration,size:stream=codec_type,codec_name,profile,pix_fmt,width,height,avg_frame_rate,r_frame_rate,sample_rate,channels,bit_rate',
      '-of',
      'json',
      file,
    ],
    opts,
  );
  const probe = JSON.parse(stdout.toString()) as {
    format?: { duration?: string; size?: string };
    streams?: ProbeStream[];
  };
  const v = probe.streams?.find((s) => s.codec_type === 'video');
  const a = probe.streams?.find((s) => s.codec_type === 'audio');
  let constantFrameRate = false;
  if (v) {
    const packets = await runFfprobe(
      ['-v', 'error', '-select_streams', 'v:0', '-show_entries', 'packet=duration', '-of', 'csv=p=0', file],
      opts,
    );
    const durations = new Set(
      packets.stdout
        .toString()
        .split('\n')
        .map((l) => l.trim())
        .filter(Boolean),
    );
    constantFrameRate = durations.size === 1 && rate(v.avg_frame_rate) > 0;
  }
  return {
    size: Number(probe.format?.size ?? 0),
    duration: Number(probe.format?.duration ?? 0),
    video: v
      ? {
          codec: v.codec_name ?? '',
          profile: v.profile ?? '',
          pixFmt: v.pix_fmt ?? '',
          width: v.width ?? 0,
          height: v.height ?? 0,
          fps: rate(v.avg_frame_rate),
          constantFrameRate,
        }
      : null,
    audio: a
      ? {
          codec: a.codec_name ?? '',
          profile: a.profile ?? '',
          sampleRate: Number(a.sample_rate ?? 0),
          channels: a.channels ?? 0,
          bitrate: a.bit_rate ? Number(a.bit_rate) : null,
        }
      : null,
    moovFirst: await moovBeforeMdat(file),
    loudness: a ? await measureLoudness(file, signal ? { signal } : {}) : null,
  };
}
