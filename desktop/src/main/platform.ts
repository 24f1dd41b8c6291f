import { type BrowserWindow, dialog, type OpenDialogOptions, shell } from 'electron';
import { PlatformError } from '../core/errors.ts';
import type { Platform } from '../core/platform.ts';

const VIDEO_EXTENSIONS = ['mp4', 'mov', 'm4v', 'mkv', 'webm', 'avi', 'mts', 'm2ts', '3gp'];

/** Native dialogs and the file manager for the core (the browser host has its own Platform). */
export function electronPlatform(currentWindow: () => BrowserWindow | null): Platform {
  const showOpenDialog = (options: OpenDialogOptions) => {
    const win = currentWindow();
    return win ? dialog.showOpenDialog(win, options) : dialog.showOpenDialog(options);
  };
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
