import type { ClipProblem, MediaInfo, PlanSummary } from '@vmp/shared';
import type { AppInfo } from '@vmp/shared/api';
import {
  analyseClip,
  contentKey,
  createRenderer,
  ffmpegPaths,
  type PlanInput,
  runTool,
  summarisePlan,
  thumbnail,
} from '../engine/index.ts';
import { outputFileName, outputSeed, shortClipName } from '../engine/render/naming.ts';
import type { RenderOutputFn } from '../queue/types.ts';

export type { PlanInput };

export interface Analysis {
  size: number;
  hash: string | null;
  info: MediaInfo | null;
  problems: ClipProblem[];
}

/** What the core needs from the engine, in one port: the real engine in the app, the same in tests. */
export interface EnginePort {
  analyse(path: string, options: { maxBytes: number; signal?: AbortSignal }): Promise<Analysis>;
  hash(path: string): Promise<string>;
  /** A JPEG still of a video, cached in `cacheDir` under `key` (a content key, or an output's id); returns its path. */
  thumbnail(path: string, options: { cacheDir: string; key: string; duration: number }): Promise<string>;
  plan(input: PlanInput): PlanSummary;
  fileName(
    template: string,
    fields: {
      project: string;
      index: number;
      total: number;
      clipPaths: string[];
      seed: number;
      format: string;
      /** Headline(s) shown in the output, for {text}. */
      texts?: string[];
    },
  ): string;
  createRenderer(options: { cacheDir: string; concurrency: number; onCommand?: (command: string) => void }): {
    render: RenderOutputFn;
    close(): Promise<void>;
  };
  ffmpegStatus(): Promise<AppInfo['ffmpeg']>;
}

let status: Promise<AppInfo['ffmpeg']> | undefined;

/** The real engine (engine-analysis + engine-render). */
export function realEngine(): EnginePort {
  return {
    async analyse(path, { maxBytes, signal }) {
      const result = await analyseClip(path, { limits: { maxBytes, minDuration: 0.2 }, ...(signal ? { signal } : {}) });
      return { size: result.size, hash: result.hash, info: result.info, problems: result.problems };
    },
    hash: contentKey,
    thumbnail: (path, { cacheDir, key, duration }) => thumbnail(path, { cacheDir, hash: key, duration }),
    plan: summarisePlan,
    fileName: (template, f) =>
      outputFileName(template, {
        project: f.project,
        index: f.index,
        total: f.total,
        clipNames: f.clipPaths.map(shortClipName),
        seed: outputSeed(f.seed, f.index),
        format: f.format,
        ...(f.texts?.length ? { texts: f.texts } : {}),
      }),
    createRenderer(options) {
      const renderer = createRenderer(options);
      return {
        render: async (spec, { signal, onProgress }) => {
          const result = await renderer.renderOutput(spec, {
            ...(signal ? { signal } : {}),
            ...(onProgress ? { onProgress: (p) => onProgress({ fraction: p.fraction }) } : {}),
          });
          return { path: result.path, duration: result.duration };
        },
        close: () => renderer.close(),
      };
    },
    ffmpegStatus() {
      status ??= (async (): Promise<AppInfo['ffmpeg']> => {
        try {
          const paths = ffmpegPaths();
          const { stdout } = await runTool(paths.ffmpeg, ['-hide_banner', '-version']);
          const version = stdout.toString('utf8').split('\n')[0]?.trim() ?? 'unknown';
          return { ok: true, ffmpeg: paths.ffmpeg, ffprobe: paths.ffprobe, version };
        } catch (error) {
          return { ok: false, error: error instanceof Error ? error.message : String(error) };
        }
      })();
      return status;
    },
  };
}
