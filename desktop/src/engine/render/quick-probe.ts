import type { MediaInfo } from '@vmp/shared';
import { runFfprobe } from '../ffmpeg/run.ts';

interface RawStream {
  codec_type?: string;
  codec_name?: string;
  width?: number;
  height?: number;
  sample_aspect_ratio?: string;
  avg_frame_rate?: string;
  r_frame_rate?: string;
  pix_fmt?: string;
  nb_frames?: string;
  channels?: number;
  sample_rate?: string;
  duration?: string;
  tags?: Record<string, string>;
  side_data_list?: { rotation?: number }[];
}

function rate(text: string | undefined): number {
  const [num, den] = (text ?? '0/1').split('/').map(Number);
  return num && den ? num / den : 0;
}

/**
 * A minimal MediaInfo from ffprobe, for the render tests and the benchmark. The app uses the engine's full probe
 * (engine/probe); this stays so render code can be exercised on its own.
 */
export async function quickProbe(file: string): Promise<MediaInfo> {
  const { stdout } = await runFfprobe(['-show_streams', '-show_format', '-of', 'json', file]);
  const data = JSON.parse(stdout.toString('utf8')) as {
    streams: RawStream[];
    format: { format_name?: string; duration?: string; size?: string };
  };
  const v = data.streams.find((s) => s.codec_type === 'video');
  const a = data.streams.find((s) => s.codec_type === 'audio');
  let video: MediaInfo['video'] = null;
  if (v?.width && v.height) {
    const rotation = Math.round(
      v.side_data_list?.find((s) => s.rotation !== undefined)?.rotation ?? Number(v.tags?.rotate ?? 0),
    );
    const sar = v.sample_aspect_ratio && v.sample_aspect_ratio !== '0:1' ? v.sample_aspect_ratio : '1:1';
    const [sn, sd] = sar.split(':').map(Number);
    let width = Math.round((v.width * (sn || 1)) / (sd || 1));
    let height = v.height;
    if (Math.abs(rotation) % 180 === 90) [width, height] = [height, width];
    const avg = rate(v.avg_frame_rate);
    const real = rate(v.r_frame_rate);
    video = {
      codec: v.codec_name ?? 'unknown',
      codedWidth: v.width,
      codedHeight: v.height,
      width,
      height,
      rotation,
      sar,
      fps: avg || real,
      vfr: avg > 0 && real > 0 && Math.abs(avg - real) > 0.01,
      pixFmt: v.pix_fmt ?? 'unknown',
      ...(v.nb_frames ? { frames: Number(v.nb_frames) } : {}),
    };
  }
  return {
    container: data.format.format_name ?? 'unknown',
    duration: Number(v?.duration ?? data.format.duration ?? 0),
    size: Number(data.format.size ?? 0),
    video,
    audio: a
      ? {
          codec: a.codec_name ?? 'unknown',
          channels: a.channels ?? 0,
          sampleRate: Number(a.sample_rate ?? 0),
          ...(a.duration ? { duration: Number(a.duration) } : {}),
        }
      : null,
  };
}
