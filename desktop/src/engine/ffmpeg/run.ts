import { onAbort } from '../abort/on-abort.ts';
import { CancelledError, FfmpegFailedError } from '../errors.ts';
import { createProgressParser, type FfmpegProgress, formatCommand } from './command.ts';
import { ffmpegPaths } from './locate.ts';
import { spawnWatched } from './watchdog.ts';

export type CommandLogger = (command: string) => void;

let commandLogger: CommandLogger = (command) => {
  if (process.env.VMP_LOG_FFMPEG) process.stderr.write(`[ffmpeg] ${command}\n`);
};

/** Every FFmpeg/ffprobe command goes through here, so one hook sees them all (logs, the app's log panel). */
export function setCommandLogger(logger: CommandLogger): void {
  commandLogger = logger;
}

export interface RunOptions {
  signal?: AbortSignal;
  /** Adds `-progress pipe:1 -nostats` and reports each progress block. */
  onProgress?: (progress: FfmpegProgress) => void;
  /** What the error says failed, e.g. "Normalising clip.mp4". */
  label?: string;
  /** Collect stdout (ffprobe JSON, raw frames). Off for progress runs, where stdout carries progress. */
  captureStdout?: boolean;
  /** Extra environment for this run (e.g. FONTCONFIG_FILE for burned-in text); shown in the logged command. */
  env?: Readonly<Record<string, string>>;
}

export interface RunResult {
  stdout: Buffer;
  stderr: string;
  command: string;
}

const STDERR_TAIL = 8_000;

export function runTool(bin: string, args: readonly string[], options: RunOptions = {}): Promise<RunResult> {
  const fullArgs = options.onProgress ? ['-progress', 'pipe:1', '-nostats', ...args] : [...args];
  const command = formatCommand(bin, fullArgs, options.env);
  commandLogger(command);
  return new Promise((resolve, reject) => {
    if (options.signal?.aborted) {
      reject(new CancelledError());
      return;
    }
    const { child, stop } = spawnWatched(bin, fullArgs, options.env);
    const stdoutChunks: Buffer[] = [];
    let stderr = '';
    const parse = options.onProgress ? createProgressParser(options.onProgress) : undefined;
    child.stdout.on('data', (chunk: Buffer) => {
      if (parse) parse(chunk.toString('utf8'));
      else if (options.captureStdout !== false) stdoutChunks.push(chunk);
    });
    child.stderr.on('data', (chunk: Buffer) => {
      stderr += chunk.toString('utf8');
      if (stderr.length > STDERR_TAIL * 2) stderr = stderr.slice(-STDERR_TAIL);
    });
    const stopWatching = onAbort(options.signal, () => stop());
    child.on('error', (error) => {
      stopWatching();
      reject(
        new FfmpegFailedError(
          `${options.label ?? 'Running FFmpeg'} failed to start (${error.message})`,
          command,
          '',
          null,
        ),
      );
    });
    child.on('close', (code) => {
      stopWatching();
      if (options.signal?.aborted) {
        reject(new CancelledError());
        return;
      }
      const tail = stderr.slice(-STDERR_TAIL);
      if (code !== 0) {
        // 126/127: the watchdog's sh could not run the binary (not executable, gone since it was located).
        const label = code === 126 || code === 127 ? `${options.label ?? 'Running FFmpeg'} failed to start` : undefined;
        reject(new FfmpegFailedError(label ?? options.label ?? 'FFmpeg failed', command, tail, code));
        return;
      }
      resolve({ stdout: Buffer.concat(stdoutChunks), stderr: tail, command });
    });
  });
}

/** Runs ffmpeg with quiet, non-interactive defaults. */
export function runFfmpeg(args: readonly string[], options: RunOptions = {}): Promise<RunResult> {
  return runTool(ffmpegPaths().ffmpeg, ['-hide_banner', '-nostdin', '-y', '-loglevel', 'error', ...args], options);
}

export function runFfprobe(args: readonly string[], options: RunOptions = {}): Promise<RunResult> {
  return runTool(ffmpegPaths().ffprobe, ['-hide_banner', '-loglevel', 'error', ...args], options);
}
