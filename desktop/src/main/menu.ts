// The application menu as data: Electron's Menu.buildFromTemplate takes it as is; tests read it without Electron.

/** The subset of Electron's MenuItemConstructorOptions this menu uses. */
export interface MenuItem {
  label?: string;
  role?: string;
  type?: 'separator' | 'submenu' | 'normal';
  accelerator?: string;
  submenu?: MenuItem[];
  click?: () => void;
}

export interface MenuActions {
  openLogsFolder(): void;
  showAbout(): void;
  openHelp(): void;
}

export interface MenuOptions {
  appName: string;
  platform: NodeJS.Platform;
  /** Show the developer tools entry (unpackaged runs only). */
  devTools: boolean;
  actions: MenuActions;
}

const separator: MenuItem = { type: 'separator' };

/** Standard roles so copy/paste, zoom, full screen and window management behave as on every other app. */
export function menuTemplate({ appName, platform, devTools, actions }: MenuOptions): MenuItem[] {
  const mac = platform === 'darwin';
  const about: MenuItem = { label: `About ${appName}`, click: actions.showAbout };
  const template: MenuItem[] = [];
  if (mac) {
    template.push({
      label: appName,
      submenu: [
        about,
        separator,
        { role: 'services' },
        separator,
        { role: 'hide' },
        { role: 'hideOthers' },
        { role: 'unhide' },
        separator,
        { role: 'quit' },
      ],
    });
  }
  template.push({ label: 'File', submenu: [mac ? { role: 'close' } : { role: 'quit' }] });
  template.push({
    label: 'Edit',
    submenu: [
      { role: 'undo' },
      { role: 'redo' },
      separator,
      { role: 'cut' },
      { role: 'copy' },
      { role: 'paste' },
      ...(mac ? [{ role: 'pasteAndMatchStyle' }] : []),
      { role: 'delete' },
      { role: 'selectAll' },
    ],
  });
  template.push({
    label: 'View',
    submenu: [
      { role: 'reload' },
      { role: 'forceReload' },
      ...(devTools ? [{ role: 'toggleDevTools' }] : []),
      separator,
      { role: 'resetZoom' },
      { role: 'zoomIn' },
      { role: 'zoomOut' },
      separator,
      { role: 'togglefullscreen' },
    ],
  });
  template.push({
    label: 'Window',
    role: 'windowMenu',
    submenu: mac
      ? [{ role: 'minimize' }, { role: 'zoom' }, separator, { role: 'front' }]
      : [{ role: 'minimize' }, { role: 'close' }],
  });
  template.push({
    label: 'Help',
    role: 'help',
    submenu: [
      { label: `${appName} Help`, click: actions.openHelp },
      { label: 'Open Logs Folder', click: actions.openLogsFolder },
      ...(mac ? [] : [separator, about]),
    ],
  });
  return template;
}
