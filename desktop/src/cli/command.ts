import { type ParseArgsConfig, parseArgs } from 'node:util';
import { AppError } from '@vmp/shared/errors';

/** Where a command writes; injectable so tests and the app can capture output. */
export interface CliIo {
  stdout: NodeJS.WritableStream;
  stderr: NodeJS.WritableStream & { isTTY?: boolean; columns?: number };
  /** Cancelled on Ctrl-C (SIGINT/SIGTERM). */
  signal: AbortSignal;
}

/** One `vmp <name>` command. `run` returns the exit code. */
export interface CliCommand {
  usage: string;
  run(args: string[], io: CliIo): Promise<number>;
}

export const EXIT_OK = 0;
/** A failure while working (rendering failed, FFmpeg missing). */
export const EXIT_FAILURE = 1;
/** Bad usage, or input that leaves nothing to do. */
export const EXIT_USAGE = 2;
/** Cancelled by Ctrl-C (128 + SIGINT). */
export const EXIT_CANCELLED = 130;

/** Wrong flags or arguments: exit 2 with the command's usage. */
export class UsageError extends AppError {
  constructor(message: string) {
    super('USAGE', message, { status: 400 });
  }
}

/** `parseArgs` whose complaints (unknown flag, missing value) are UsageErrors, so they exit 2 with the usage. */
export function parseOrUsage<T extends ParseArgsConfig>(config: T): ReturnType<typeof parseArgs<T>> {
  try {
    return parseArgs(config);
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
}
