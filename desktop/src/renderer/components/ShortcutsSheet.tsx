import { isMacPlatform, SHORTCUT_SHEET } from '../lib/shortcuts.ts';
import { useApp } from '../stores/app.ts';
import { Modal } from './Modal.tsx';

export function ShortcutsSheet() {
  const open = useApp((s) => s.shortcutsOpen);
  const setOpen = useApp((s) => s.setShortcutsOpen);
  const platform = useApp((s) => s.info?.platform) ?? navigator.platform;
  if (!open) return null;
  const mac = isMacPlatform(platform);
  return (
    <Modal title="Keyboard shortcuts" onClose={() => setOpen(false)} className="modal-shortcuts">
      <dl className="shortcut-list">
        {SHORTCUT_SHEET.map((s) => (
          <div key={s.label} className="shortcut-row">
            <dt>
              {s.keys.map((k) => (
                <kbd key={k}>{k === 'mod' ? (mac ? '⌘' : 'Ctrl') : k}</kbd>
              ))}
            </dt>
            <dd>{s.label}</dd>
          </div>
        ))}
      </dl>
    </Modal>
  );
}
