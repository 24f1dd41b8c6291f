import type { AudioSettings } from '@vmp/shared';
import { AUDIO_OUTPUT_ARGS, OUTPUT_CONTAINER_ARGS } from '../profiles/profile.ts';
import { audioGraph } from './audio-graph.ts';

/** ffconcat list naming intermediates in play order. Paths are absolute; quotes escaped the ffconcat way. */
export function concatList(paths: readonly string[]): string {
  return `ffconcat version 1.0\n${paths.map((p) => `file '${p.replace(/'/g, `'\\''`)}'`).join('\n')}\n`;
}

export interface OutputMetadata {
  title: string;
  comment: string;
  creationTime: string;
}

export function metadataArgs(meta: OutputMetadata): string[] {
  return [
    '-map_metadata',
    '-1',
    '-map_chapters',
    '-1',
    '-metadata',
    `title=${meta.title}`,
    '-metadata',
    `comment=${meta.comment}`,
    '-metadata',
    `creation_time=${meta.creationTime}`,
  ];
}

export interface AssemblyItem {
  /** ffconcat list of this output's intermediates. */
  listFile: string;
  /** Where FFmpeg writes (the .part file). */
  output: string;
  /** Audio samples of the whole output (sum of the intermediates'). */
  samples: number;
  metadata: OutputMetadata;
  /** A finished output with this one's audio (see shared-audio.ts): its AAC stream is copied, not encoded again. */
  audioFrom?: string;
}

/**
 * ONE FFmpeg process assembling several outputs: each output has its own concat-demuxer input, its video is stream
 * copied (no re-encode: every intermediate has the same SPS/PPS), its PCM audio is encoded to AAC once (one encoder
 * per output keeps joins sample-exact; see normalise-args.ts), or copied from a finished output with the same audio
 * (`audioFrom`). Batching spreads FFmpeg's start-up over many outputs, which is what dominated
 * one-process-per-output assembly.
 */
export function assembleArgs(
  items: readonly AssemblyItem[],
  audio: Pick<AudioSettings, 'mode' | 'musicPath' | 'musicVolume' | 'clipVolume'>,
): string[] {
  const inputs: string[] = [];
  const outputs: string[] = [];
  const music = audio.mode === 'music' && audio.musicPath ? audio.musicPath : undefined;
  const graphs: string[] = [];
  let next = 0;
  for (const [k, item] of items.entries()) {
    const clipInput = next++;
    inputs.push('-f', 'concat', '-safe', '0', '-i', item.listFile);
    if (item.audioFrom) {
      const audioInput = next++;
      inputs.push('-i', item.audioFrom);
      outputs.push(
        ...['-map', `${clipInput}:v:0`, '-map', `${audioInput}:a:0`, '-c:v', 'copy', '-c:a', 'copy'],
        ...metadataArgs(item.metadata),
        ...OUTPUT_CONTAINER_ARGS,
        item.output,
      );
      continue;
    }
    let musicInput: number | undefined;
    if (music) {
      musicInput = next++;
      inputs.push('-stream_loop', '-1', '-i', music);
    }
    const out = `a${k}`;
    // keep: plain stream mapping would do, but the graph also pins the exact sample count.
    graphs.push(
      audioGraph(music ? audio : { ...audio, mode: audio.mode === 'music' ? 'keep' : audio.mode }, item.samples, {
        clipAudio: `${clipInput}:a:0`,
        ...(musicInput === undefined ? {} : { musicAudio: `${musicInput}:a:0` }),
        out,
      }),
    );
    outputs.push(
      '-map',
      `${clipInput}:v:0`,
      '-map',
      `[${out}]`,
      '-c:v',
      'copy',
      ...AUDIO_OUTPUT_ARGS,
      ...metadataArgs(item.metadata),
      ...OUTPUT_CONTAINER_ARGS,
      item.output,
    );
  }
  return [...inputs, ...(graphs.length > 0 ? ['-filter_complex', graphs.join(';')] : []), ...outputs];
}
