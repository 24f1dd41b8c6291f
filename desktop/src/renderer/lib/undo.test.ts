import { describe, expect, it } from 'vitest';
import { EMPTY_UNDO, pushUndo, takeRedo, takeUndo, type UndoEntry } from './undo.ts';

const entry = (label: string): UndoEntry => ({ label, undo: () => {}, redo: () => {} });

describe('undo stack', () => {
  it('undoes last-in first-out and redoes in reverse', () => {
    let s = pushUndo(pushUndo(EMPTY_UNDO, entry('a')), entry('b'));
    const u1 = takeUndo(s);
    expect(u1.entry?.label).toBe('b');
    s = u1.state;
    const u2 = takeUndo(s);
    expect(u2.entry?.label).toBe('a');
    s = u2.state;
    expect(takeUndo(s).entry).toBeNull();
    const r1 = takeRedo(s);
    expect(r1.entry?.label).toBe('a');
    expect(takeRedo(r1.state).entry?.label).toBe('b');
  });

  it('clears the redo branch on a new edit', () => {
    const undone = takeUndo(pushUndo(EMPTY_UNDO, entry('a'))).state;
    expect(undone.future).toHaveLength(1);
    const next = pushUndo(undone, entry('c'));
    expect(next.future).toHaveLength(0);
    expect(next.past.map((e) => e.label)).toEqual(['c']);
  });

  it('drops the oldest entries past the limit', () => {
    let s = EMPTY_UNDO;
    for (const label of ['1', '2', '3', '4']) s = pushUndo(s, entry(label), 3);
    expect(s.past.map((e) => e.label)).toEqual(['2', '3', '4']);
  });
});
