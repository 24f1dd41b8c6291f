import { existsSync } from 'node:fs';
import { join } from 'node:path';

export const NOTICES_FILE = 'THIRD_PARTY_NOTICES.md';
/** Where the About box's "Third-Party Notices" opens (served by the app protocol from the notices file). */
export const NOTICES_PATH = '/third-party-notices';

/** The notices shipped in resources/ when packaged, the repository's copy when run from source. */
export function noticesFile(options: { isPackaged: boolean; resourcesPath: string; appPath: string }): string | null {
  const candidates = options.isPackaged
    ? [join(options.resourcesPath, NOTICES_FILE)]
    : [join(options.appPath, '..', NOTICES_FILE), join(options.appPath, NOTICES_FILE)];
  return candidates.find((file) => existsSync(file)) ?? null;
}

export interface AboutInfo {
  appName: string;
  version: string;
  versions: { electron?: string; chrome?: string; node?: string };
  ffmpeg?: string;
}

/** The About box text: versions, and the licences of what ships inside the app. */
export function aboutDetail(info: AboutInfo): string {
  const lines = [
    `Version ${info.version}`,
    `Electron ${info.versions.electron ?? '?'} · Chromium ${info.versions.chrome ?? '?'} · Node.js ${info.versions.node ?? '?'}`,
  ];
  if (info.ffmpeg) lines.push(`FFmpeg: ${info.ffmpeg}`);
  lines.push(
    '',
    'Includes FFmpeg (LGPL 2.1+/GPL 2+ builds, source at ffmpeg.org), Electron, Chromium, SQLite and other ' +
      'open-source components. "Third-Party Notices" lists each with its licence.',
  );
  return lines.join('\n');
}
