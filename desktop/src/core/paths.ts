import { homedir } from 'node:os';
import { join } from 'node:path';

export const APP_NAME = 'Video Mixer Pro';

/**
 * The data folder Electron uses for this app (app.getPath('userData') with the app named APP_NAME), so the desktop
 * app and `vmp serve` share projects by default.
 */
export function defaultDataDir(
  env: NodeJS.ProcessEnv = process.env,
  platform: NodeJS.Platform = process.platform,
): string {
  if (env.VMP_DATA_DIR) return env.VMP_DATA_DIR;
  if (platform === 'darwin') return join(homedir(), 'Library', 'Application Support', APP_NAME);
  if (platform === 'win32') return join(env.APPDATA ?? join(homedir(), 'AppData', 'Roaming'), APP_NAME);
  return join(env.XDG_CONFIG_HOME || join(homedir(), '.config'), APP_NAME);
}
