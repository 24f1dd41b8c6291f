/** What a key press means in the app. Components act on actions, never on raw keys. */
export type ShortcutAction =
  | 'newProject'
  | 'import'
  | 'render'
  | 'undo'
  | 'redo'
  | 'help'
  | 'escape'
  | 'moveClipLeft'
  | 'moveClipRight'
  | 'moveClipUp'
  | 'moveClipDown'
  | 'removeClip'
  | 'newGroup';

export interface KeyLike {
  key: string;
  ctrlKey: boolean;
  metaKey: boolean;
  shiftKey: boolean;
  altKey: boolean;
}

export function isMacPlatform(platform: string): boolean {
  return /mac|iphone|ipad|darwin/i.test(platform);
}

/**
 * Maps a key press to an action. `typing` is true when focus is in a text field: then only Escape and
 * modifier shortcuts that do not clash with text editing apply (Ctrl/Cmd+Z stays the field's own undo).
 */
export function shortcutFor(event: KeyLike, mac: boolean, typing = false): ShortcutAction | null {
  const mod = mac ? event.metaKey && !event.ctrlKey : event.ctrlKey && !event.metaKey;
  const key = event.key.length === 1 ? event.key.toLowerCase() : event.key;
  if (key === 'Escape') return 'escape';
  if (mod && !event.altKey) {
    if (key === 'n' && !event.shiftKey) return 'newProject';
    if (key === 'i' && !event.shiftKey) return 'import';
    if (key === 'Enter') return 'render';
    if (typing) return null;
    if (key === 'z') return event.shiftKey ? 'redo' : 'undo';
    if (key === 'y' && !mac) return 'redo';
    return null;
  }
  if (typing || event.ctrlKey || event.metaKey) return null;
  if (key === '?') return 'help';
  if (event.altKey && !event.shiftKey) {
    if (key === 'ArrowLeft') return 'moveClipLeft';
    if (key === 'ArrowRight') return 'moveClipRight';
    if (key === 'ArrowUp') return 'moveClipUp';
    if (key === 'ArrowDown') return 'moveClipDown';
    return null;
  }
  if (event.altKey) return null;
  if (key === 'Delete' || key === 'Backspace') return 'removeClip';
  if (key === 'g' && !event.shiftKey) return 'newGroup';
  return null;
}

/** True when key presses should go to a text field rather than to app shortcuts. */
export function isTypingTarget(target: EventTarget | null): boolean {
  if (!target || typeof (target as Element).tagName !== 'string') return false;
  const el = target as HTMLElement;
  if (el.isContentEditable) return true;
  const tag = el.tagName.toLowerCase();
  if (tag === 'textarea' || tag === 'select') return true;
  if (tag !== 'input') return false;
  const type = (el as HTMLInputElement).type;
  return !['button', 'checkbox', 'radio', 'range', 'submit', 'reset', 'file', 'color'].includes(type);
}

/** The shortcuts sheet; `mod` is rendered as ⌘ or Ctrl. */
export const SHORTCUT_SHEET: ReadonlyArray<{ keys: string[]; label: string }> = [
  { keys: ['mod', 'N'], label: 'New project' },
  { keys: ['mod', 'I'], label: 'Import clips' },
  { keys: ['mod', 'Enter'], label: 'Render the current plan' },
  { keys: ['mod', 'Z'], label: 'Undo group edit or delete' },
  { keys: ['mod', 'Shift', 'Z'], label: 'Redo' },
  { keys: ['G'], label: 'New group' },
  { keys: ['Alt', '←'], label: 'Move selected clip to the previous group' },
  { keys: ['Alt', '→'], label: 'Move selected clip to the next group (from the library: into the first)' },
  { keys: ['Alt', '↑'], label: 'Move selected clip up in its group' },
  { keys: ['Alt', '↓'], label: 'Move selected clip down in its group' },
  { keys: ['Delete'], label: 'Take selected clip out of its group' },
  { keys: ['?'], label: 'Show this sheet' },
  { keys: ['Esc'], label: 'Close dialogs, clear selection' },
];
