import { spawn } from 'node:child_process';
import { accessSync, constants } from 'node:fs';
import { delimiter, dirname, join } from 'node:path';
import { PlatformError, UnsupportedError } from './errors.ts';

/** What the OS shell can do for the app; injected by the adapter (Electron main, browser host, tests). */
export interface Platform {
  transport: 'electron' | 'browser';
  nativeDialogs: boolean;
  /** False when nothing can show files here (headless host): reveal/open answer an error naming the path. */
  canReveal: boolean;
  reveal(path: string): Promise<void>;
  open(path: string): Promise<void>;
  pickClips(): Promise<string[]>;
  pickFolder(): Promise<string | null>;
}

function onPath(command: string, env: NodeJS.ProcessEnv): boolean {
  for (const dir of (env.PATH ?? '').split(delimiter)) {
    if (!dir) continue;
    try {
      accessSync(join(dir, command), constants.X_OK);
      return true;
    } catch {}
  }
  return false;
}

/** The command that shows a file in the file manager / opens it, or null when this machine has none. */
export function opener(
  platform: NodeJS.Platform,
  env: NodeJS.ProcessEnv,
  has: (command: string) => boolean = (c) => onPath(c, env),
): { reveal: (path: string) => [string, string[]]; open: (path: string) => [string, string[]] } | null {
  if (platform === 'darwin') return { reveal: (p) => ['open', ['-R', p]], open: (p) => ['open', [p]] };
  if (platform === 'win32') {
    return { reveal: (p) => ['explorer.exe', [`/select,${p}`]], open: (p) => ['explorer.exe', [p]] };
  }
  // Linux/BSD: xdg-open only makes sense with a desktop session.
  if (!(env.DISPLAY || env.WAYLAND_DISPLAY) || !has('xdg-open')) return null;
  return { reveal: (p) => ['xdg-open', [dirname(p)]], open: (p) => ['xdg-open', [p]] };
}

function launch([command, args]: [string, string[]], path: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { detached: true, stdio: 'ignore' });
    child.on('error', (error) =>
      reject(new PlatformError(`Could not open the file manager (${error.message}). The file is at ${path}`, { path })),
    );
    child.on('spawn', () => {
      child.unref();
      resolve();
    });
  });
}

/** The browser host's platform: no native dialogs (files are uploaded), reveal/open on the host machine if it can. */
export function hostPlatform(
  env: NodeJS.ProcessEnv = process.env,
  platform: NodeJS.Platform = process.platform,
): Platform {
  const tools = opener(platform, env);
  const unavailable = (path: string) =>
    new UnsupportedError(`This host has no desktop to show files on. The file is at ${path}`, { path });
  return {
    transport: 'browser',
    nativeDialogs: false,
    canReveal: tools !== null,
    reveal: (path) => (tools ? launch(tools.reveal(path), path) : Promise.reject(unavailable(path))),
    open: (path) => (tools ? launch(tools.open(path), path) : Promise.reject(unavailable(path))),
    pickClips: () =>
      Promise.reject(
        new UnsupportedError(
          'File dialogs exist only in the desktop app: drop video files onto the window to upload them.',
        ),
      ),
    pickFolder: () =>
      Promise.reject(
        new UnsupportedError('Folder dialogs exist only in the desktop app: type the output folder path instead.'),
      ),
  };
}
