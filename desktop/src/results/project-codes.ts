import {
  AUTO_PREFIX,
  assignCodes,
  type CodeBook,
  groupPrefixes,
  HEADLINE_PREFIX,
  parseCode,
} from '../engine/codes/index.ts';
import type { Store } from '../store/store.ts';

/**
 * The project's code book, giving codes to clips and headlines that have none yet (stored at once, never reused).
 * Called whenever the project changes (clips imported, moved into a group, headlines edited) and before planning.
 */
export function ensureCodes(store: Store, projectId: string): CodeBook {
  const project = store.projects.get(projectId);
  const groups = store.groups.list(projectId);
  const existing = store.codes.list(projectId);
  const { added, book } =
    project.mode === 'auto'
      ? assignCodes('auto', [{ name: 'Clips', clips: store.clips.list(projectId).map((c) => c.id) }], existing)
      : assignCodes(
          'manual',
          groups.map((g) => ({ name: g.name, clips: g.clipIds, headlines: g.headlines ?? [] })),
          existing,
        );
  store.codes.add(projectId, added);
  return book;
}

/** Every code of the project, for people: what it names and the group it is in now. */
export function listCodes(store: Store, projectId: string) {
  ensureCodes(store, projectId);
  const project = store.projects.get(projectId);
  const clips = new Map(store.clips.list(projectId).map((c) => [c.id, c.name]));
  const groups = store.groups.list(projectId);
  const prefixes = project.mode === 'auto' ? [] : groupPrefixes(groups.map((g) => g.name));
  // Group order, then number; headlines last.
  const rankOf = (prefix: string) => (prefix === HEADLINE_PREFIX ? 1e6 : prefixes.indexOf(prefix) + 1 || 1e5);
  const sorted = store.codes
    .list(projectId)
    .sort(
      (a, b) =>
        rankOf(a.prefix) - rankOf(b.prefix) ||
        a.prefix.localeCompare(b.prefix) ||
        (parseCode(a.code)?.n ?? 0) - (parseCode(b.code)?.n ?? 0),
    );
  return sorted.map((r) => {
    if (r.prefix === HEADLINE_PREFIX) {
      const group = groups.find((g) => g.headlines?.includes(r.key));
      return { kind: 'headline' as const, key: r.key, code: r.code, label: r.key, group: group?.name ?? null };
    }
    const group =
      project.mode === 'auto'
        ? r.prefix === AUTO_PREFIX && clips.has(r.key)
          ? 'Clips'
          : null
        : (groups.find((g, i) => prefixes[i] === r.prefix && g.clipIds.includes(r.key))?.name ?? null);
    return { kind: 'clip' as const, key: r.key, code: r.code, label: clips.get(r.key) ?? '(removed clip)', group };
  });
}

/** ensureCodes after a change: a project deleted meanwhile has nothing to code. */
export function ensureCodesQuietly(store: Store, projectId: string): void {
  try {
    ensureCodes(store, projectId);
  } catch {}
}
