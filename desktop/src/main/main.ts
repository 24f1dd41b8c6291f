import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { CallMessage, IPC_CALL_CHANNEL, IPC_EVENT_CHANNEL, type ResultMessage } from '@vmp/shared/api';
import { serializeError } from '@vmp/shared/errors';
import { app, BrowserWindow, dialog, ipcMain, protocol, session, shell } from 'electron';
import { type Core, createCore } from '../core/core.ts';
import { dispatch, resultMessage } from '../core/dispatch.ts';
import { PlatformError } from '../core/errors.ts';
import { APP_NAME } from '../core/paths.ts';
import type { Platform } from '../core/platform.ts';
import { guardUnhandledRejections } from '../util/process-guard.ts';
import { APP_ORIGIN, APP_SCHEME, createAppProtocolHandler } from './media-protocol.ts';

// Thin shell: everything testable lives in core/host; this file only wires Electron APIs to them.

const here = dirname(fileURLToPath(import.meta.url));
const rendererDir = process.env.VMP_RENDERER_DIR ?? join(here, '..', 'renderer');
const preload = join(here, '..', 'preload', 'preload.cjs');

app.setName(APP_NAME);
protocol.registerSchemesAsPrivileged([
  { scheme: APP_SCHEME, privileges: { standard: true, secure: true, supportFetchAPI: true, stream: true } },
]);

let core: Core | undefined;
let win: BrowserWindow | null = null;

const VIDEO_EXTENSIONS = ['mp4', 'mov', 'm4v', 'mkv', 'webm', 'avi', 'mts', 'm2ts', '3gp'];

function showOpenDialog(options: Electron.OpenDialogOptions) {
  return win ? dialog.showOpenDialog(win, options) : dialog.showOpenDialog(options);
}

function electronPlatform(): Platform {
  return {
    transport: 'electron',
    nativeDialogs: true,
    canReveal: true,
    async reveal(path) {
      shell.showItemInFolder(path);
    },
    async open(path) {
      const error = await shell.openPath(path);
      if (error) throw new PlatformError(`Could not open ${path}: ${error}`, { path });
    },
    async pickClips() {
      const result = await showOpenDialog({
        title: 'Add clips',
        properties: ['openFile', 'multiSelections'],
        filters: [
          { name: 'Videos', extensions: VIDEO_EXTENSIONS },
          { name: 'All files', extensions: ['*'] },
        ],
      });
      return result.canceled ? [] : result.filePaths;
    },
    async pickFolder() {
      const result = await showOpenDialog({
        title: 'Choose the output folder',
        properties: ['openDirectory', 'createDirectory'],
      });
      return result.canceled ? null : (result.filePaths[0] ?? null);
    },
  };
}

/** Only our own pages may call the API. */
function trustedSender(frameUrl: string | undefined): boolean {
  return !!frameUrl && frameUrl.startsWith(`${APP_ORIGIN}/`);
}

function createWindow(): void {
  win = new BrowserWindow({
    width: 1280,
    height: 820,
    minWidth: 960,
    minHeight: 600,
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
  win.once('ready-to-show', () => win?.show());
  win.on('closed', () => {
    win = null;
  });
  void win.loadURL(`${APP_ORIGIN}/index.html`);
}

async function start(): Promise<void> {
  guardUnhandledRejections();
  await app.whenReady();
  core = createCore({
    dataDir: process.env.VMP_DATA_DIR || app.getPath('userData'),
    platform: electronPlatform(),
    defaultOutputDir: join(app.getPath('videos'), APP_NAME),
    commandLog: join(app.getPath('logs'), 'ffmpeg-commands.log'),
  });
  const live = core;
  protocol.handle(APP_SCHEME, createAppProtocolHandler(live, rendererDir));
  // No camera, microphone, notifications, ...: the app needs none.
  session.defaultSession.setPermissionRequestHandler((_wc, _permission, callback) => callback(false));

  ipcMain.handle(IPC_CALL_CHANNEL, async (event, raw: unknown): Promise<ResultMessage> => {
    const call = CallMessage.safeParse(raw);
    const id = call.success ? call.data.id : -1;
    if (!trustedSender(event.senderFrame?.url)) {
      return {
        type: 'result',
        id,
        ok: false,
        error: { code: 'FORBIDDEN', message: 'Calls are only accepted from the app.' },
      };
    }
    if (!call.success) {
      return { type: 'result', id, ok: false, error: serializeError(new Error('Malformed call message.')) };
    }
    const result = await dispatch(live, call.data.method, call.data.input);
    return resultMessage(id, result);
  });
  live.subscribe((event) => {
    for (const w of BrowserWindow.getAllWindows()) w.webContents.send(IPC_EVENT_CHANNEL, event);
  });
  createWindow();
}

app.on('web-contents-created', (_event, contents) => {
  // The app never navigates away or opens windows; links to the web open in the system browser.
  contents.on('will-navigate', (event, url) => {
    if (!url.startsWith(`${APP_ORIGIN}/`)) event.preventDefault();
  });
  contents.setWindowOpenHandler(({ url }) => {
    if (url.startsWith('https://')) void shell.openExternal(url);
    return { action: 'deny' };
  });
});

// Two app instances on one database would render the same outputs twice.
if (!app.requestSingleInstanceLock()) {
  app.quit();
} else {
  app.on('second-instance', () => {
    if (win) {
      if (win.isMinimized()) win.restore();
      win.focus();
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
    dialog.showErrorBox(APP_NAME, `The app could not start: ${error instanceof Error ? error.message : String(error)}`);
    app.exit(1);
  });
}
