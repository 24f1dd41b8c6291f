import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { IPC_CALL_CHANNEL, IPC_EVENT_CHANNEL } from '@vmp/shared/api';
import {
  app,
  BrowserWindow,
  dialog,
  ipcMain,
  Menu,
  type MenuItemConstructorOptions,
  Notification,
  protocol,
  safeStorage,
  screen,
  session,
  shell,
} from 'electron';
import { type Core, createCore } from '../core/core.ts';
import { dispatch } from '../core/dispatch.ts';
import { APP_NAME } from '../core/paths.ts';
import { aboutDetail, NOTICES_PATH, noticesFile } from './about.ts';
import { createCrashHandler } from './crash.ts';
import { createIpcCallHandler, producedUrl } from './ipc.ts';
import { createLogFile, rotateIfLarge } from './log-file.ts';
import { APP_ORIGIN, APP_SCHEME, createAppProtocolHandler } from './media-protocol.ts';
import { menuTemplate } from './menu.ts';
import {
  createExternalUrlPolicy,
  denyPermissionCheck,
  denyPermissionRequest,
  type GuardedContents,
  guardContents,
  isAppUrl,
} from './navigation.ts';
import { electronPlatform } from './platform.ts';
import { startUpdates, type Updater, updateSource } from './updates.ts';
import { readWindowState, restoreBounds, trackWindowState } from './window-state.ts';

// Thin shell: every rule lives in a module that takes Electron's objects as parameters; this file wires them.

const HELP_URL = 'https://videomixerpro.com/help/';
const WINDOW_DEFAULTS = { width: 1280, height: 820, minWidth: 960, minHeight: 600 };

const here = dirname(fileURLToPath(import.meta.url));
const rendererDir = process.env.VMP_RENDERER_DIR ?? join(here, '..', 'renderer');
const preload = join(here, '..', 'preload', 'preload.cjs');

app.setName(APP_NAME);
// Electron derives userData from package.json before this file runs; desktop/package.json (unpackaged runs) has no
// productName, so pin the folder `vmp serve` shares (core/paths.ts defaultDataDir).
app.setPath('userData', join(app.getPath('appData'), APP_NAME));
app.setAppLogsPath();
const log = createLogFile({ dir: app.getPath('logs'), echo: !app.isPackaged });
const openLogsFolder = () => void shell.openPath(app.getPath('logs'));

const onCrash = createCrashHandler({
  appName: APP_NAME,
  version: app.getVersion(),
  log,
  openLogsFolder,
  dialog: {
    async show(title, message, detail) {
      if (!app.isReady()) {
        dialog.showErrorBox(title, `${message}\n\n${detail}`);
        return false;
      }
      const { response } = await dialog.showMessageBox({
        type: 'error',
        title,
        message,
        detail,
        buttons: ['Open Logs Folder', 'Close'],
        defaultId: 1,
        cancelId: 1,
      });
      return response === 0;
    },
  },
});
process.on('uncaughtException', (error) => onCrash(error, 'uncaughtException'));
process.on('unhandledRejection', (reason) => onCrash(reason, 'unhandledRejection'));

// Worker threads and child processes do not see process.resourcesPath: the FFmpeg lookup reads this instead.
if (app.isPackaged) process.env.VMP_RESOURCES_DIR = process.resourcesPath;

protocol.registerSchemesAsPrivileged([
  { scheme: APP_SCHEME, privileges: { standard: true, secure: true, supportFetchAPI: true, stream: true } },
]);

let core: Core | undefined;
let win: BrowserWindow | null = null;

const urls = createExternalUrlPolicy({ helpUrl: HELP_URL, serverUrl: () => process.env.VMP_SERVER_URL });
const openExternal = (url: string) => {
  shell.openExternal(url).catch((error: unknown) => log.warn(`could not open ${url}:`, error));
};

function showAbout(): void {
  const notices = noticesFile({
    isPackaged: app.isPackaged,
    resourcesPath: process.resourcesPath,
    appPath: app.getAppPath(),
  });
  const options = {
    type: 'info' as const,
    title: `About ${APP_NAME}`,
    message: APP_NAME,
    detail: aboutDetail({ appName: APP_NAME, version: app.getVersion(), versions: process.versions }),
    buttons: notices ? ['OK', 'Third-Party Notices'] : ['OK'],
    defaultId: 0,
    cancelId: 0,
  };
  void (win ? dialog.showMessageBox(win, options) : dialog.showMessageBox(options)).then(({ response }) => {
    if (response !== 1) return;
    const viewer = new BrowserWindow({
      title: 'Third-Party Notices',
      width: 760,
      height: 640,
      parent: win ?? undefined,
      webPreferences: { sandbox: true, contextIsolation: true, nodeIntegration: false },
    });
    viewer.setMenuBarVisibility(false);
    void viewer.loadURL(`${APP_ORIGIN}${NOTICES_PATH}`);
  });
}

function createWindow(): void {
  const stateFile = join(app.getPath('userData'), 'window-state.json');
  const workAreas = screen.getAllDisplays().map((d) => d.workArea);
  const restored = restoreBounds(readWindowState(stateFile), workAreas, WINDOW_DEFAULTS);
  win = new BrowserWindow({
    ...restored.bounds,
    minWidth: WINDOW_DEFAULTS.minWidth,
    minHeight: WINDOW_DEFAULTS.minHeight,
    title: APP_NAME,
    show: false,
    webPreferences: {
      preload,
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      webSecurity: true,
      spellcheck: false,
    },
  });
  if (restored.maximized) win.maximize();
  trackWindowState(win, stateFile, { onError: (error) => log.warn('could not save the window state:', error) });
  win.once('ready-to-show', () => win?.show());
  win.on('closed', () => {
    win = null;
  });
  void win.loadURL(`${APP_ORIGIN}/index.html`);
}

async function start(): Promise<void> {
  await app.whenReady();
  log.info(
    `${APP_NAME} ${app.getVersion()} starting (Electron ${process.versions.electron}, ${process.platform}-${process.arch})`,
  );
  rotateIfLarge(app.getPath('logs'), 'ffmpeg-commands.log', 5 * 1024 * 1024);
  core = createCore({
    dataDir: process.env.VMP_DATA_DIR || app.getPath('userData'),
    platform: electronPlatform(() => win),
    defaultOutputDir: join(app.getPath('videos'), APP_NAME),
    commandLog: join(app.getPath('logs'), 'ffmpeg-commands.log'),
    // The machine secret is sealed with the OS store Electron wraps (Keychain, DPAPI, libsecret/kwallet).
    licensing: { safeStorage },
    notifyDesktop: ({ title, body }) => {
      if (Notification.isSupported()) new Notification({ title, body }).show();
    },
  });
  const live = core;
  const notices = noticesFile({
    isPackaged: app.isPackaged,
    resourcesPath: process.resourcesPath,
    appPath: app.getAppPath(),
  });
  protocol.handle(APP_SCHEME, createAppProtocolHandler(live, rendererDir, { noticesFile: notices }));
  session.defaultSession.setPermissionRequestHandler(denyPermissionRequest);
  session.defaultSession.setPermissionCheckHandler(denyPermissionCheck);
  session.defaultSession.setDevicePermissionHandler(denyPermissionCheck);

  const handleCall = createIpcCallHandler({
    isTrustedSender: (frameUrl) => !!frameUrl && isAppUrl(frameUrl, APP_ORIGIN),
    dispatch: (method, input) => dispatch(live, method, input),
    onResult: (method, output) => {
      const url = producedUrl(method, output);
      if (url) urls.issue(url);
    },
  });
  ipcMain.handle(IPC_CALL_CHANNEL, (event, raw: unknown) => handleCall(event.senderFrame?.url, raw));
  live.subscribe((event) => {
    for (const w of BrowserWindow.getAllWindows()) w.webContents.send(IPC_EVENT_CHANNEL, event);
  });

  const template = menuTemplate({
    appName: APP_NAME,
    platform: process.platform,
    devTools: !app.isPackaged,
    actions: { openLogsFolder, showAbout, openHelp: () => openExternal(HELP_URL) },
  });
  Menu.setApplicationMenu(Menu.buildFromTemplate(template as MenuItemConstructorOptions[]));
  createWindow();

  const resourcesPath = process.resourcesPath;
  void startUpdates({
    source: updateSource({
      isPackaged: app.isPackaged,
      env: process.env,
      hasBuildConfig: existsSync(join(resourcesPath, 'app-update.yml')),
    }),
    updater: async () => (await import('electron-updater')).default.autoUpdater as unknown as Updater,
    log,
    async askRestart(version) {
      const options = {
        type: 'info' as const,
        message: `${APP_NAME} ${version} is ready to install.`,
        detail:
          'Restart now to update, or it installs when you quit. Running renders are queued again after the restart.',
        buttons: ['Restart Now', 'Later'],
        defaultId: 0,
        cancelId: 1,
      };
      const { response } = await (win ? dialog.showMessageBox(win, options) : dialog.showMessageBox(options));
      return response === 0;
    },
  }).catch((error: unknown) => log.warn('auto-update could not start:', error));
}

app.on('web-contents-created', (_event, contents) => {
  guardContents(contents as unknown as GuardedContents, {
    appOrigin: APP_ORIGIN,
    policy: urls,
    openExternal,
    onBlocked: (kind, url) => log.warn(`blocked ${kind} to ${url}`),
  });
});
app.on('render-process-gone', (_event, _contents, details) => log.error('renderer process gone:', details));
app.on('child-process-gone', (_event, details) => log.error('child process gone:', details));

// Two app instances on one database would render the same outputs twice.
if (!app.requestSingleInstanceLock()) {
  app.quit();
} else {
  app.on('second-instance', () => {
    if (win) {
      if (win.isMinimized()) win.restore();
      win.show();
      win.focus();
    } else if (core && app.isReady()) {
      createWindow();
    }
  });
  app.on('window-all-closed', () => {
    if (process.platform !== 'darwin') app.quit();
  });
  app.on('activate', () => {
    if (BrowserWindow.getAllWindows().length === 0 && core) createWindow();
  });
  let quitting = false;
  app.on('before-quit', (event) => {
    // Graceful stop: running renders are killed and queued again, the database closed, then quit for real.
    if (quitting || !core) return;
    event.preventDefault();
    quitting = true;
    void core.close().finally(() => app.exit(0));
  });
  start().catch((error: unknown) => {
    log.error('start failed:', error);
    dialog.showErrorBox(
      APP_NAME,
      `The app could not start: ${error instanceof Error ? error.message : String(error)}\n\nDetails: ${log.file}`,
    );
    app.exit(1);
  });
}
