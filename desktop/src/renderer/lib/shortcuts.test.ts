// @vitest-environment happy-dom
import { describe, expect, it } from 'vitest';
import { isMacPlatform, isTypingTarget, type KeyLike, shortcutFor } from './shortcuts.ts';

const key = (k: string, mods: Partial<KeyLike> = {}): KeyLike => ({
  key: k,
  ctrlKey: false,
  metaKey: false,
  shiftKey: false,
  altKey: false,
  ...mods,
});

describe('shortcutFor', () => {
  it('uses Ctrl off macOS and Cmd on macOS', () => {
    expect(shortcutFor(key('n', { ctrlKey: true }), false)).toBe('newProject');
    expect(shortcutFor(key('n', { metaKey: true }), false)).toBeNull();
    expect(shortcutFor(key('n', { metaKey: true }), true)).toBe('newProject');
    expect(shortcutFor(key('I', { metaKey: true }), true)).toBe('import');
    expect(shortcutFor(key('Enter', { ctrlKey: true }), false)).toBe('render');
  });
  it('maps undo and redo', () => {
    expect(shortcutFor(key('z', { ctrlKey: true }), false)).toBe('undo');
    expect(shortcutFor(key('Z', { ctrlKey: true, shiftKey: true }), false)).toBe('redo');
    expect(shortcutFor(key('y', { ctrlKey: true }), false)).toBe('redo');
    expect(shortcutFor(key('y', { metaKey: true }), true)).toBeNull();
  });
  it('leaves text editing alone while typing, except Escape and app commands', () => {
    expect(shortcutFor(key('z', { ctrlKey: true }), false, true)).toBeNull();
    expect(shortcutFor(key('?', { shiftKey: true }), false, true)).toBeNull();
    expect(shortcutFor(key('g'), false, true)).toBeNull();
    expect(shortcutFor(key('Escape'), false, true)).toBe('escape');
    expect(shortcutFor(key('Enter', { ctrlKey: true }), false, true)).toBe('render');
  });
  it('maps the single keys and the clip moves', () => {
    expect(shortcutFor(key('?', { shiftKey: true }), false)).toBe('help');
    expect(shortcutFor(key('g'), false)).toBe('newGroup');
    expect(shortcutFor(key('Delete'), false)).toBe('removeClip');
    expect(shortcutFor(key('ArrowLeft', { altKey: true }), false)).toBe('moveClipLeft');
    expect(shortcutFor(key('ArrowDown', { altKey: true }), true)).toBe('moveClipDown');
    expect(shortcutFor(key('ArrowDown'), false)).toBeNull();
    expect(shortcutFor(key('g', { ctrlKey: true, altKey: true }), false)).toBeNull();
  });
});

describe('isTypingTarget and platform', () => {
  it('knows text fields from buttons', () => {
    const text = document.createElement('input');
    const box = document.createElement('input');
    box.type = 'checkbox';
    expect(isTypingTarget(text)).toBe(true);
    expect(isTypingTarget(box)).toBe(false);
    expect(isTypingTarget(document.createElement('textarea'))).toBe(true);
    expect(isTypingTarget(document.createElement('button'))).toBe(false);
    expect(isTypingTarget(null)).toBe(false);
  });
  it('detects macOS', () => {
    expect(isMacPlatform('darwin')).toBe(true);
    expect(isMacPlatform('MacIntel')).toBe(true);
    expect(isMacPlatform('linux')).toBe(false);
  });
});
