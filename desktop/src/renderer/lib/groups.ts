import type { Group } from '@vmp/shared/api';

export interface ClipMove {
  clipId: string;
  /** null: from the library. */
  fromGroupId: string | null;
  /** null: back to the library. */
  toGroupId: string | null;
  /** Position in the destination after the clip left its source. */
  index: number;
}

export function sortGroups(groups: readonly Group[]): Group[] {
  return [...groups].sort((a, b) => a.position - b.position);
}

/** What the host will do for groups.moveClip, applied locally so the board moves at once. */
export function applyMove(groups: readonly Group[], move: ClipMove): Group[] {
  return groups.map((g) => {
    let ids = g.clipIds;
    if (g.id === move.fromGroupId) ids = ids.filter((id) => id !== move.clipId);
    if (g.id === move.toGroupId) {
      ids = ids.filter((id) => id !== move.clipId);
      const at = Math.min(Math.max(0, move.index), ids.length);
      ids = [...ids.slice(0, at), move.clipId, ...ids.slice(at)];
    }
    return ids === g.clipIds ? g : { ...g, clipIds: ids };
  });
}

/** The move that puts things back: the clip returns to where it was. */
export function inverseMove(groups: readonly Group[], move: ClipMove): ClipMove {
  const from = move.fromGroupId ? groups.find((g) => g.id === move.fromGroupId) : null;
  const index = from ? Math.max(0, from.clipIds.indexOf(move.clipId)) : 0;
  return { clipId: move.clipId, fromGroupId: move.toGroupId, toGroupId: move.fromGroupId, index };
}

/**
 * Index a dragged item should land at, given the vertical midpoints of the items in the list
 * (the dragged item itself excluded) and the pointer position.
 */
export function dropIndex(midpoints: readonly number[], pointer: number): number {
  const i = midpoints.findIndex((mid) => pointer < mid);
  return i === -1 ? midpoints.length : i;
}

export type MoveDirection = 'left' | 'right' | 'up' | 'down';

/**
 * Keyboard move of a clip that sits in a group: left/right to the neighbouring group (kept at the same row where
 * possible), up/down within its group. Returns null at the edges.
 */
export function keyboardMove(
  groups: readonly Group[],
  clipId: string,
  groupId: string,
  direction: MoveDirection,
): ClipMove | null {
  const ordered = sortGroups(groups);
  const gi = ordered.findIndex((g) => g.id === groupId);
  const group = ordered[gi];
  if (!group) return null;
  const index = group.clipIds.indexOf(clipId);
  if (index === -1) return null;
  if (direction === 'up' || direction === 'down') {
    const to = direction === 'up' ? index - 1 : index + 1;
    if (to < 0 || to >= group.clipIds.length) return null;
    return { clipId, fromGroupId: groupId, toGroupId: groupId, index: to };
  }
  const target = ordered[direction === 'left' ? gi - 1 : gi + 1];
  if (!target) return null;
  const existing = target.clipIds.filter((id) => id !== clipId);
  return { clipId, fromGroupId: groupId, toGroupId: target.id, index: Math.min(index, existing.length) };
}

/** Move an item of a list from one index to another (group reorder). */
export function reorder<T>(list: readonly T[], from: number, to: number): T[] {
  if (from === to || from < 0 || from >= list.length) return [...list];
  const next = [...list];
  const [item] = next.splice(from, 1);
  next.splice(Math.min(Math.max(0, to), next.length), 0, item as T);
  return next;
}

/** Name for a new group that does not clash: "Group 4", "Group 5"... */
export function nextGroupName(groups: readonly Group[]): string {
  const names = new Set(groups.map((g) => g.name.toLowerCase()));
  let n = groups.length + 1;
  while (names.has(`group ${n}`)) n++;
  return `Group ${n}`;
}
