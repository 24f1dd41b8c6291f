import type { MessagePort } from 'node:worker_threads';
import type { FfmpegProgress } from '../ffmpeg/command.ts';

/** What the main thread sends a worker: one FFmpeg run. Progress, commands and cancel travel over `port`. */
export interface WorkerTask {
  kind?: 'ffmpeg';
  args: string[];
  label?: string;
  env?: Record<string, string>;
  progress: boolean;
  port: MessagePort;
}

/** CPU-bound functions a pool's workers can run by name: plain data in, plain data out. */
// biome-ignore lint/suspicious/noExplicitAny: each task has its own parameters; callers type them through the table.
export type TaskTable = Record<string, (...args: any[]) => unknown>;

/** One CPU task of the worker's table, by name, with its arguments. */
export interface CpuTask {
  kind: 'cpu';
  name: string;
  args: unknown[];
  /** Where the FFmpeg/ffprobe commands the task runs are posted (`command` messages), when the pool logs them. */
  port?: MessagePort;
}

export type CpuResult =
  | { ok: true; value: unknown }
  | { ok: false; code: string; message: string; status?: number; details?: unknown };

export type WorkerMessage = { type: 'progress'; progress: FfmpegProgress } | { type: 'command'; command: string };

/** Errors cannot cross a thread boundary with their class, so the worker answers with plain data. */
export type WorkerResult =
  | { ok: true; command: string }
  | {
      ok: false;
      code: string;
      message: string;
      label?: string;
      command?: string;
      stderr?: string;
      exitCode?: number | null;
    };

export const CANCEL_MESSAGE = 'cancel';
