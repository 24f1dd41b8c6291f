import type { ClipProblem, MediaInfo } from '@vmp/shared';
import type { AppInfo } from '@vmp/shared/api';
import { createRenderer, ffmpegPaths, type PlanInput, runTool } from '../engine/index.ts';
import type { OutputPlan } from '../engine/plan-outputs.ts';
import type { Renderer } from '../engine/render/types.ts';
import { type ComputeFn, createCpuPool } from './cpu-tasks.ts';

export type { OutputPlan, PlanInput };

export interface Analysis {
  size: number;
  hash: string | null;
  info: MediaInfo | null;
  problems: ClipProblem[];
  /** The still, when `thumbsDir` was given: made in the analysis's own FFmpeg run (null: none could be made). */
  thumbnail?: string | null;
}

/** The renderer the core runs its queue on, and the CPU tasks (core/cpu-tasks.ts) in the same worker threads. */
export type EngineRenderer = Pick<Renderer, 'renderBatch' | 'setConcurrency' | 'close'> & { compute: ComputeFn };

/** What the core needs from the engine, in one port: the real engine in the app, the same in tests. */
export interface EnginePort {
  /** Analyses files together (one FFmpeg run checks them all, see engine/validate); results in their order. */
  analyse(paths: readonly string[], options: { maxBytes: number; thumbsDir?: string }): Promise<Analysis[]>;
  hash(path: string): Promise<string>;
  /** A JPEG still of a video, cached in `cacheDir` under `key` (a content key, or an output's id); returns its path. */
  thumbnail(
    path: string,
    options: { cacheDir: string; key: string; duration: number; info?: MediaInfo },
  ): Promise<string>;
  createRenderer(options: {
    cacheDir: string;
    concurrency: number;
    onCommand?: (command: string) => void;
  }): EngineRenderer;
  ffmpegStatus(): Promise<AppInfo['ffmpeg']>;
}

let status: Promise<AppInfo['ffmpeg']> | undefined;

/**
 * The real engine. Analysis, content hashing and stills run through `compute`: in the app, the renderer's worker
 * threads, so neither the hashing nor the FFmpeg/ffprobe spawns of an import hold the main thread.
 */
export function realEngine(compute: ComputeFn): EnginePort {
  return {
    async analyse(paths, { maxBytes, thumbsDir }) {
      const thumbnail = thumbsDir ? { thumbnail: { cacheDir: thumbsDir } } : {};
      const results = await compute('analyseClips', paths, { limits: { maxBytes, minDuration: 0.2 }, ...thumbnail });
      return results.map(({ size, hash, info, problems, thumbnail: still }) => ({
        size,
        hash,
        info,
        problems,
        ...(thumbsDir ? { thumbnail: still ?? null } : {}),
      }));
    },
    hash: (path) => compute('contentKey', path),
    // The analysis's probe result goes along, so the still costs one FFmpeg run and no second ffprobe.
    thumbnail: (path, { cacheDir, key, duration, info }) =>
      compute('thumbnail', path, { cacheDir, hash: key, duration, ...(info ? { info } : {}) }),
    createRenderer({ cacheDir, concurrency, onCommand }) {
      // One pool: FFmpeg and the CPU tasks share its threads; closed after the renderer.
      const pool = createCpuPool({ concurrency, ...(onCommand ? { onCommand } : {}) });
      const renderer = createRenderer({ cacheDir, pool });
      return {
        renderBatch: renderer.renderBatch,
        setConcurrency: renderer.setConcurrency,
        compute: (name, ...args) => pool.compute(name, ...args),
        async close() {
          await renderer.close();
          await pool.destroy();
        },
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
