import type { Group } from '@vmp/shared/api';
import { describe, expect, it } from 'vitest';
import { applyMove, dropIndex, inverseMove, keyboardMove, nextGroupName, reorder } from './groups.ts';

const g = (id: string, position: number, clipIds: string[]): Group => ({
  id,
  projectId: 'p',
  name: id,
  position,
  clipIds,
});
const board = () => [g('hook', 0, ['a', 'b']), g('body', 1, ['c']), g('cta', 2, [])];

describe('applyMove', () => {
  it('moves between groups at the index', () => {
    const next = applyMove(board(), { clipId: 'a', fromGroupId: 'hook', toGroupId: 'body', index: 0 });
    expect(next.map((x) => x.clipIds)).toEqual([['b'], ['a', 'c'], []]);
  });
  it('reorders within a group, index counted after removal', () => {
    const next = applyMove(board(), { clipId: 'a', fromGroupId: 'hook', toGroupId: 'hook', index: 1 });
    expect(next[0]?.clipIds).toEqual(['b', 'a']);
  });
  it('adds from the library and removes to the library', () => {
    expect(applyMove(board(), { clipId: 'z', fromGroupId: null, toGroupId: 'cta', index: 9 })[2]?.clipIds).toEqual([
      'z',
    ]);
    expect(applyMove(board(), { clipId: 'c', fromGroupId: 'body', toGroupId: null, index: 0 })[1]?.clipIds).toEqual([]);
  });
  it('keeps untouched groups identical (cheap re-render)', () => {
    const before = board();
    const next = applyMove(before, { clipId: 'a', fromGroupId: 'hook', toGroupId: 'body', index: 0 });
    expect(next[2]).toBe(before[2]);
  });
  it('has an inverse that restores the board', () => {
    const before = board();
    const move = { clipId: 'b', fromGroupId: 'hook', toGroupId: 'cta', index: 0 };
    const after = applyMove(before, move);
    expect(applyMove(after, inverseMove(before, move)).map((x) => x.clipIds)).toEqual(before.map((x) => x.clipIds));
  });
});

describe('keyboardMove', () => {
  it('moves up and down within a group, stopping at the edges', () => {
    expect(keyboardMove(board(), 'b', 'hook', 'up')).toEqual({
      clipId: 'b',
      fromGroupId: 'hook',
      toGroupId: 'hook',
      index: 0,
    });
    expect(keyboardMove(board(), 'a', 'hook', 'up')).toBeNull();
    expect(keyboardMove(board(), 'b', 'hook', 'down')).toBeNull();
  });
  it('moves to neighbouring groups, keeping the row when it can', () => {
    expect(keyboardMove(board(), 'b', 'hook', 'right')).toEqual({
      clipId: 'b',
      fromGroupId: 'hook',
      toGroupId: 'body',
      index: 1,
    });
    expect(keyboardMove(board(), 'c', 'body', 'right')).toEqual({
      clipId: 'c',
      fromGroupId: 'body',
      toGroupId: 'cta',
      index: 0,
    });
    expect(keyboardMove(board(), 'a', 'hook', 'left')).toBeNull();
  });
});

describe('dropIndex, reorder, nextGroupName', () => {
  it('finds the slot from midpoints', () => {
    expect(dropIndex([10, 30, 50], 5)).toBe(0);
    expect(dropIndex([10, 30, 50], 31)).toBe(2);
    expect(dropIndex([10, 30, 50], 99)).toBe(3);
    expect(dropIndex([], 0)).toBe(0);
  });
  it('reorders lists', () => {
    expect(reorder(['a', 'b', 'c'], 0, 2)).toEqual(['b', 'c', 'a']);
    expect(reorder(['a', 'b', 'c'], 2, 0)).toEqual(['c', 'a', 'b']);
  });
  it('names new groups without clashes', () => {
    expect(nextGroupName(board())).toBe('Group 4');
    expect(nextGroupName([...board(), { ...g('x', 3, []), name: 'Group 5' }])).toBe('Group 6');
  });
});
