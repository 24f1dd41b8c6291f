import { accessSync, constants } from 'node:fs';
import { createRequire } from 'node:module';
import { delimiter, dirname, join } from 'node:path';
import { FfmpegNotFoundError } from '../errors.ts';

export interface FfmpegPaths {
  ffmpeg: string;
  ffprobe: string;
}

export interface LocateOptions {
  env?: NodeJS.ProcessEnv;
  /**
   * Folder holding the binaries shipped with the packaged app. Default: `bundledBinDir()`, i.e. Electron's
   * `process.resourcesPath`, or VMP_RESOURCES_DIR (the shell sets it for worker threads, which lack resourcesPath).
   */
  bundledDir?: string;
}

/** Where a packaged app keeps ffmpeg and ffprobe (electron-builder's extraResources put them in resources/). */
export function bundledBinDir(env: NodeJS.ProcessEnv = process.env): string | undefined {
  return env.VMP_RESOURCES_DIR || (process as { resourcesPath?: string }).resourcesPath || undefined;
}

const exe = process.platform === 'win32' ? '.exe' : '';
const require = createRequire(import.meta.url);

function isExecutable(file: string | undefined | null): file is string {
  if (!file) return false;
  try {
    accessSync(file, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

function staticPackagePath(tool: 'ffmpeg' | 'ffprobe'): string | undefined {
  try {
    if (tool === 'ffmpeg') {
      const path = require('ffmpeg-static') as string | null;
      return path ?? undefined;
    }
    return (require('ffprobe-static') as { path: string }).path;
  } catch {
    return undefined;
  }
}

/**
 * Order: explicit env override, binaries bundled with the app (resources/), the npm static packages
 * (only if their file really exists: ffmpeg-static never downloads here), then PATH.
 */
export function locateTool(tool: 'ffmpeg' | 'ffprobe', options: LocateOptions = {}): string {
  const env = options.env ?? process.env;
  const tried: string[] = [];
  const override = tool === 'ffmpeg' ? env.FFMPEG_PATH : env.FFPROBE_PATH;
  if (override) {
    if (isExecutable(override)) return override;
    // An explicit override that is wrong is a configuration error, not a reason to silently pick another binary.
    throw new FfmpegNotFoundError(tool, [`${tool === 'ffmpeg' ? 'FFMPEG_PATH' : 'FFPROBE_PATH'}=${override}`]);
  }
  const bundledDir = options.bundledDir ?? bundledBinDir(env);
  const candidates = [
    bundledDir ? join(bundledDir, tool + exe) : undefined,
    staticPackagePath(tool),
    ...(env.PATH ?? '')
      .split(delimiter)
      .filter(Boolean)
      .map((dir) => join(dir, tool + exe)),
  ];
  for (const candidate of candidates) {
    if (!candidate) continue;
    tried.push(candidate);
    if (isExecutable(candidate)) return candidate;
  }
  throw new FfmpegNotFoundError(tool, tried);
}

/**
 * ffmpeg, then the ffprobe beside it when there is one: both should come from one FFmpeg build, or ffprobe (say
 * ffprobe-static's 4.0) may read a stream differently from the ffmpeg that renders it.
 */
export function locatePair(options: LocateOptions = {}): FfmpegPaths {
  const env = options.env ?? process.env;
  const ffmpeg = locateTool('ffmpeg', options);
  const sibling = join(dirname(ffmpeg), `ffprobe${exe}`);
  const ffprobe = !env.FFPROBE_PATH && isExecutable(sibling) ? sibling : locateTool('ffprobe', options);
  return { ffmpeg, ffprobe };
}

let cached: FfmpegPaths | undefined;

/** Locates both tools once per process; call `resetFfmpegPaths()` after changing the environment. */
export function ffmpegPaths(options: LocateOptions = {}): FfmpegPaths {
  cached ??= locatePair(options);
  return cached;
}

export function resetFfmpegPaths(): void {
  cached = undefined;
}
