import { type ChildProcessByStdio, spawn } from 'node:child_process';
import type { Readable, Writable } from 'node:stream';

/**
 * Runs the tool as a child of a tiny sh that also waits on a pipe from us; when the pipe closes (we called stop()
 * or this process died, even by SIGKILL) it kills the tool at once. FFmpeg itself ignores both a closed stdin and
 * SIGPIPE on its progress pipe (measured with 5.1: still encoding 2 s after its parent was killed), and Linux's
 * PDEATHSIG is not reachable from Node. The tool gets /dev/null as stdin and our stdout/stderr pipes directly.
 * The sh reaps its watcher before exiting, so nothing of a finished run outlives it (not even a zombie).
 */
const WATCH_SCRIPT =
  'exec 3<&0 </dev/null; "$@" 3<&- & c=$!; ' +
  '{ read -r _ <&3; kill -KILL $c; } >/dev/null 2>&1 & w=$!; ' +
  'wait $c; s=$?; kill $w 2>/dev/null; wait $w 2>/dev/null; exit $s';

export interface WatchedChild {
  child: ChildProcessByStdio<Writable | null, Readable, Readable>;
  /** Kills the tool (cancel). */
  stop(): void;
}

/** Spawns `bin args` so that it dies with this process; plain spawn where there is no POSIX sh (Windows). */
export function spawnWatched(
  bin: string,
  args: readonly string[],
  env?: Record<string, string>,
  platform = process.platform,
): WatchedChild {
  const environment = env ? { env: { ...process.env, ...env } } : {};
  if (platform === 'win32') {
    const child = spawn(bin, args, { stdio: ['ignore', 'pipe', 'pipe'], windowsHide: true, ...environment });
    return { child, stop: () => child.kill('SIGKILL') };
  }
  const child = spawn('/bin/sh', ['-c', WATCH_SCRIPT, 'vmp-watchdog', bin, ...args], {
    stdio: ['pipe', 'pipe', 'pipe'],
    ...environment,
  });
  // Nothing is ever written; closing is the signal. An EPIPE after the tool exited is no news.
  child.stdin.on('error', () => undefined);
  return { child, stop: () => child.stdin.destroy() };
}
