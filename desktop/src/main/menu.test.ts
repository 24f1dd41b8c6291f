import { describe, expect, it } from 'vitest';
import { type MenuItem, menuTemplate } from './menu.ts';

function actions() {
  const calls: string[] = [];
  return {
    calls,
    actions: {
      openLogsFolder: () => calls.push('logs'),
      showAbout: () => calls.push('about'),
      openHelp: () => calls.push('help'),
    },
  };
}

const roles = (items: MenuItem[] | undefined) => (items ?? []).map((i) => i.role).filter(Boolean);
const byLabel = (template: MenuItem[], label: string) => template.find((m) => m.label === label);

describe('menuTemplate', () => {
  it('has Edit, View, Window and Help with the standard roles on Windows and Linux', () => {
    const { calls, actions: a } = actions();
    const template = menuTemplate({ appName: 'Video Mixer Pro', platform: 'win32', devTools: false, actions: a });
    expect(template.map((m) => m.label)).toEqual(['File', 'Edit', 'View', 'Window', 'Help']);
    expect(roles(byLabel(template, 'Edit')?.submenu)).toEqual([
      'undo',
      'redo',
      'cut',
      'copy',
      'paste',
      'delete',
      'selectAll',
    ]);
    expect(roles(byLabel(template, 'View')?.submenu)).toEqual([
      'reload',
      'forceReload',
      'resetZoom',
      'zoomIn',
      'zoomOut',
      'togglefullscreen',
    ]);
    expect(byLabel(template, 'Window')?.role).toBe('windowMenu');
    expect(roles(byLabel(template, 'File')?.submenu)).toEqual(['quit']);

    const help = byLabel(template, 'Help')?.submenu ?? [];
    for (const item of help) item.click?.();
    expect(calls).toEqual(['help', 'logs', 'about']);
    expect(help.map((i) => i.label).filter(Boolean)).toEqual([
      'Video Mixer Pro Help',
      'Open Logs Folder',
      'About Video Mixer Pro',
    ]);
  });

  it('puts About and the app roles in the app menu on macOS, not in Help', () => {
    const { calls, actions: a } = actions();
    const template = menuTemplate({ appName: 'Video Mixer Pro', platform: 'darwin', devTools: false, actions: a });
    expect(template[0]?.label).toBe('Video Mixer Pro');
    expect(roles(template[0]?.submenu)).toEqual(['services', 'hide', 'hideOthers', 'unhide', 'quit']);
    template[0]?.submenu?.[0]?.click?.();
    expect(calls).toEqual(['about']);
    expect(roles(byLabel(template, 'Edit')?.submenu)).toContain('pasteAndMatchStyle');
    expect(roles(byLabel(template, 'Window')?.submenu)).toEqual(['minimize', 'zoom', 'front']);
    expect((byLabel(template, 'Help')?.submenu ?? []).map((i) => i.label)).toEqual([
      'Video Mixer Pro Help',
      'Open Logs Folder',
    ]);
  });

  it('offers the developer tools only when asked (unpackaged runs)', () => {
    const { actions: a } = actions();
    const packaged = menuTemplate({ appName: 'X', platform: 'linux', devTools: false, actions: a });
    const dev = menuTemplate({ appName: 'X', platform: 'linux', devTools: true, actions: a });
    expect(roles(byLabel(packaged, 'View')?.submenu)).not.toContain('toggleDevTools');
    expect(roles(byLabel(dev, 'View')?.submenu)).toContain('toggleDevTools');
  });
});
