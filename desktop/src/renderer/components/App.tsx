import { useEffect } from 'react';
import { runShortcut } from '../actions.ts';
import { isMacPlatform, isTypingTarget, shortcutFor } from '../lib/shortcuts.ts';
import { screenFromHash, useApp } from '../stores/app.ts';
import { CaptionsDialogHost } from './CaptionsDialog.tsx';
import { DialogHost } from './Dialogs.tsx';
import { Icon } from './Icon.tsx';
import { ConflictDialog, FirstRunPrompt, LicenseDialog, LicensingBar, ShortfallDialog } from './Licensing.tsx';
import { ProjectsScreen } from './ProjectsScreen.tsx';
import { ShortcutsSheet } from './ShortcutsSheet.tsx';
import { Toasts } from './Toasts.tsx';
import { Workspace } from './Workspace.tsx';

function useGlobalShortcuts() {
  const platform = useApp((s) => s.info?.platform) ?? navigator.platform;
  useEffect(() => {
    const mac = isMacPlatform(platform);
    const onKey = (event: KeyboardEvent) => {
      if (event.defaultPrevented || event.isComposing) return;
      const action = shortcutFor(event, mac, isTypingTarget(event.target));
      if (action && runShortcut(action)) event.preventDefault();
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [platform]);
}

function useHashRouting() {
  useEffect(() => {
    const onHash = () => useApp.setState({ screen: screenFromHash(location.hash) });
    window.addEventListener('hashchange', onHash);
    return () => window.removeEventListener('hashchange', onHash);
  }, []);
}

export function ConnectionBadge() {
  const connected = useApp((s) => s.connected);
  const everConnected = useApp((s) => s.everConnected);
  const label = connected ? 'Connected' : everConnected ? 'Reconnecting…' : 'Connecting…';
  return (
    <output
      className={`connection ${connected ? 'is-online' : 'is-offline'}`}
      aria-live="polite"
      data-testid="connection"
    >
      <span className="connection-dot" aria-hidden="true" />
      {label}
    </output>
  );
}

export function App() {
  useGlobalShortcuts();
  useHashRouting();
  const screen = useApp((s) => s.screen);
  const info = useApp((s) => s.info);
  const connected = useApp((s) => s.connected);
  const everConnected = useApp((s) => s.everConnected);
  const setShortcutsOpen = useApp((s) => s.setShortcutsOpen);
  return (
    <div className="app">
      <header className="titlebar">
        <button
          type="button"
          className="brand"
          onClick={() => useApp.getState().open({ name: 'projects' })}
          aria-label="Video Mixer Pro: all projects"
        >
          <span className="brand-mark" aria-hidden="true">
            <Icon name="layers" size={14} />
          </span>
          <span className="brand-name">Video Mixer Pro</span>
        </button>
        <div className="titlebar-spacer" />
        <LicensingBar />
        <ConnectionBadge />
        <button
          type="button"
          className="icon-button"
          aria-label="Keyboard shortcuts (?)"
          title="Keyboard shortcuts (?)"
          onClick={() => setShortcutsOpen(true)}
        >
          <Icon name="keyboard" />
        </button>
      </header>
      {!connected && everConnected ? (
        <div className="banner banner-warning" role="status">
          Lost the connection to the Video Mixer Pro host. Reconnecting… Renders keep running on the host.
        </div>
      ) : null}
      <FirstRunPrompt />
      {info && !info.ffmpeg.ok ? (
        <div className="banner banner-error" role="alert">
          FFmpeg is not available: {info.ffmpeg.error}
        </div>
      ) : null}
      <main className="screen">
        {screen.name === 'projects' ? (
          <ProjectsScreen />
        ) : (
          <Workspace key={screen.projectId} projectId={screen.projectId} />
        )}
      </main>
      <Toasts />
      <CaptionsDialogHost />
      <DialogHost />
      <LicenseDialog />
      <ShortfallDialog />
      <ConflictDialog />
      <ShortcutsSheet />
    </div>
  );
}
