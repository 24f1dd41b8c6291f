import { appendFileSync, mkdirSync, renameSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { format } from 'node:util';

export type LogLevel = 'info' | 'warn' | 'error';

export interface Logger {
  readonly file: string;
  info(...args: unknown[]): void;
  warn(...args: unknown[]): void;
  error(...args: unknown[]): void;
}

export interface LogFileOptions {
  dir: string;
  /** Base name: main.log, rotated to main.1.log … main.<keep>.log. */
  name?: string;
  maxBytes?: number;
  keep?: number;
  now?: () => Date;
  /** Also write to the console (development). */
  echo?: boolean;
}

/** main.log → main.1.log → … → main.<keep>.log; the oldest is removed. */
export function rotate(dir: string, name: string, keep: number): void {
  const base = name.replace(/\.log$/, '');
  const at = (i: number) => join(dir, i === 0 ? `${base}.log` : `${base}.${i}.log`);
  rmSync(at(keep), { force: true });
  for (let i = keep - 1; i >= 0; i--) {
    try {
      renameSync(at(i), at(i + 1));
    } catch {
      // that generation does not exist yet
    }
  }
}

/** Rotates a log another part of the app appends to (core's FFmpeg command log) when it has grown past maxBytes. */
export function rotateIfLarge(dir: string, name: string, maxBytes: number, keep = 3): boolean {
  try {
    if (statSync(join(dir, name)).size <= maxBytes) return false;
  } catch {
    return false;
  }
  rotate(dir, name, keep);
  return true;
}

/**
 * A synchronous line logger (a crash must not lose its last line) that rotates by size. Writing never throws:
 * a full disk must not take the app down with it.
 */
export function createLogFile(options: LogFileOptions): Logger {
  const name = options.name ?? 'main.log';
  const maxBytes = options.maxBytes ?? 2 * 1024 * 1024;
  const keep = options.keep ?? 5;
  const now = options.now ?? (() => new Date());
  const file = join(options.dir, name);
  let size = -1;
  const write = (level: LogLevel, args: unknown[]) => {
    const line = `${now().toISOString()} [${level}] ${format(...args)}\n`;
    if (options.echo) (level === 'info' ? console.log : console.error)(line.trimEnd());
    try {
      if (size < 0) {
        mkdirSync(options.dir, { recursive: true });
        try {
          size = statSync(file).size;
        } catch {
          size = 0;
        }
      }
      if (size > 0 && size + Buffer.byteLength(line) > maxBytes) {
        rotate(options.dir, name, keep);
        size = 0;
      }
      appendFileSync(file, line);
      size += Buffer.byteLength(line);
    } catch {
      size = -1; // try again (stat, mkdir) on the next line
    }
  };
  return {
    file,
    info: (...args) => write('info', args),
    warn: (...args) => write('warn', args),
    error: (...args) => write('error', args),
  };
}
