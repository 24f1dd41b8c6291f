import { type ChildProcess, spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';

/** The real `vmp` entry point, as a user runs it. */
export const VMP_BIN = fileURLToPath(new URL('../../bin/vmp.mjs', import.meta.url));

export interface CliRun {
  code: number | null;
  stdout: string;
  stderr: string;
}

export interface RunOptions {
  /** Added to this process's environment; undefined inherits it unchanged. */
  env?: NodeJS.ProcessEnv;
  /** Sees all of stderr so far after each chunk, and may act on progress (e.g. send Ctrl-C). */
  onStderr?: (text: string, child: ChildProcess) => void;
}

/** Runs Node with these arguments to its end and collects what it printed. */
export function runNode(args: string[], options: RunOptions = {}): Promise<CliRun> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, args, {
      ...(options.env ? { env: { ...process.env, ...options.env } } : {}),
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c: Buffer) => {
      stdout += c.toString();
    });
    child.stderr.on('data', (c: Buffer) => {
      stderr += c.toString();
      options.onStderr?.(stderr, child);
    });
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

/** Runs `vmp` with these arguments, without colours, and `env` on top of this process's environment. */
export function runVmp(args: string[], env: NodeJS.ProcessEnv, onStderr?: RunOptions['onStderr']): Promise<CliRun> {
  return runNode([VMP_BIN, ...args], { env: { FORCE_COLOR: '0', ...env }, onStderr });
}
