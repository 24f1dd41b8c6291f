// Auto-update policy (electron-updater does the work): off unless the build or the environment configures a feed.

export type UpdateSource =
  | { kind: 'off'; reason: string }
  /** app-update.yml written by electron-builder from the build's publish settings (generic or GitHub). */
  | { kind: 'build' }
  | { kind: 'generic'; url: string };

export interface UpdateSourceInput {
  isPackaged: boolean;
  env: NodeJS.ProcessEnv;
  /** Whether resources/app-update.yml exists (written only when the build had VMP_UPDATE_URL/VMP_UPDATE_GITHUB). */
  hasBuildConfig: boolean;
}

export function updateSource({ isPackaged, env, hasBuildConfig }: UpdateSourceInput): UpdateSource {
  if (!isPackaged) return { kind: 'off', reason: 'not a packaged app' };
  if (env.VMP_UPDATES === '0' || env.VMP_UPDATES === 'off') return { kind: 'off', reason: 'VMP_UPDATES=off' };
  if (env.VMP_UPDATE_URL) {
    let url: URL;
    try {
      url = new URL(env.VMP_UPDATE_URL);
    } catch {
      return { kind: 'off', reason: `VMP_UPDATE_URL is not a URL: ${env.VMP_UPDATE_URL}` };
    }
    if (url.protocol !== 'https:') return { kind: 'off', reason: `VMP_UPDATE_URL must be https: ${url.href}` };
    return { kind: 'generic', url: url.href };
  }
  return hasBuildConfig ? { kind: 'build' } : { kind: 'off', reason: 'no update feed configured' };
}

/** The parts of electron-updater's autoUpdater used here. */
export interface Updater {
  autoDownload: boolean;
  autoInstallOnAppQuit: boolean;
  logger: unknown;
  setFeedURL(options: { provider: 'generic'; url: string }): void;
  on(event: 'error', listener: (error: Error) => void): unknown;
  on(event: 'update-downloaded', listener: (info: { version: string }) => void): unknown;
  checkForUpdates(): Promise<unknown>;
  quitAndInstall(): void;
}

export interface UpdateOptions {
  source: UpdateSource;
  updater: () => Promise<Updater>;
  log: { info(...a: unknown[]): void; warn(...a: unknown[]): void; error(...a: unknown[]): void };
  /** Asks whether to restart now; resolves true for "Restart". */
  askRestart(version: string): Promise<boolean>;
  intervalMs?: number;
}

/** Checks at start and then periodically; a downloaded update installs on quit or at once if the user agrees. */
export async function startUpdates(options: UpdateOptions): Promise<(() => void) | null> {
  const { source, log } = options;
  if (source.kind === 'off') {
    log.info(`auto-update off: ${source.reason}`);
    return null;
  }
  const updater = await options.updater();
  updater.logger = log;
  updater.autoDownload = true;
  updater.autoInstallOnAppQuit = true;
  if (source.kind === 'generic') updater.setFeedURL({ provider: 'generic', url: source.url });
  updater.on('error', (error) => log.warn('auto-update failed:', error.message));
  let asked = false;
  updater.on('update-downloaded', (info) => {
    if (asked) return;
    asked = true;
    void options.askRestart(info.version).then((restart) => {
      if (restart) updater.quitAndInstall();
    });
  });
  const check = () => {
    updater.checkForUpdates().catch((error: unknown) => log.warn('update check failed:', error));
  };
  check();
  const timer = setInterval(check, options.intervalMs ?? 6 * 60 * 60 * 1000);
  timer.unref?.();
  return () => clearInterval(timer);
}
