import { useId, useState } from 'react';
import { useApp } from '../stores/app.ts';
import { useWorkspace } from '../stores/workspace.ts';
import { Icon } from './Icon.tsx';

/** Paths typed one per line (quotes a file manager adds when copying a path are dropped). */
export function parsePaths(text: string): string[] {
  return text
    .split(/\r?\n/)
    .map((l) => l.trim().replace(/^(["'])(.*)\1$/, '$2'))
    .filter(Boolean);
}

/**
 * The browser build on the host's own machine (the host says so: capabilities.localPaths): clips are imported where
 * they lie, by path, instead of being uploaded (a copy over HTTP) into the project's media folder.
 */
export function LocalImport() {
  const local = useApp((s) => s.info?.transport === 'browser' && s.info.capabilities.localPaths === true);
  const [open, setOpen] = useState(false);
  const [text, setText] = useState('');
  const id = useId();
  if (!local) return null;
  if (!open) {
    return (
      <div className="local-import">
        <button
          type="button"
          className="button small"
          title="Import video files from this computer by their paths (no upload)"
          onClick={() => setOpen(true)}
        >
          <Icon name="upload" size={14} /> Import by path from this computer
        </button>
      </div>
    );
  }
  const paths = parsePaths(text);
  return (
    <form
      className="local-import"
      data-testid="local-import"
      onSubmit={(e) => {
        e.preventDefault();
        if (!paths.length) return;
        void useWorkspace
          .getState()
          .importPaths(paths)
          .then(() => {
            setText('');
            setOpen(false);
          });
      }}
    >
      <label htmlFor={id} className="field-label">
        Paths of video files on this computer, one per line
      </label>
      <textarea
        id={id}
        className="input"
        rows={3}
        value={text}
        placeholder="/home/me/Videos/hook.mp4"
        // biome-ignore lint/a11y/noAutofocus: opened by the user to type into it.
        autoFocus
        onChange={(e) => setText(e.target.value)}
      />
      <span className="field-hint">Imported where they are, without uploading a copy.</span>
      <div className="local-import-actions">
        <button type="button" className="button small" onClick={() => setOpen(false)}>
          Cancel
        </button>
        <button type="submit" className="button small primary" disabled={!paths.length}>
          Import {paths.length || ''}
        </button>
      </div>
    </form>
  );
}
