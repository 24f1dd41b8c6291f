import { AUTO_PREFIX, formatCode, groupPrefixes, HEADLINE_PREFIX, parseCode } from './prefix.ts';

/** One assigned code: `key` is what it names (a clip id or path, or a headline's text) under `prefix`. */
export interface CodeRecord {
  prefix: string;
  key: string;
  code: string;
}

export interface CodeGroupInput {
  name: string;
  /** Clip keys (ids in the app, paths in the CLI) in the group's order. */
  clips: readonly string[];
  headlines?: readonly string[];
}

/** What one plan needs to name its outputs: a code per clip of each group, a code per headline text. */
export interface CodeBook {
  mode: 'manual' | 'auto';
  /** Group names in order (auto mode: one entry, "Clips"). */
  groups: string[];
  /** Per group (same order), clip key → code. */
  clips: Array<Record<string, string>>;
  /** Headline text → code. */
  headlines: Record<string, string>;
}

function numberOf(code: string): number {
  return parseCode(code)?.n ?? 0;
}

/**
 * Gives every clip and headline that has none a code, numbering each prefix after the highest number it ever had
 * (records are never deleted, so a code is never handed out twice). Pure: returns the new records to keep and the
 * book for this project as it stands. Existing records win, so edits (renamed codes) stay.
 */
export function assignCodes(
  mode: 'manual' | 'auto',
  groups: readonly CodeGroupInput[],
  existing: readonly CodeRecord[],
): { added: CodeRecord[]; book: CodeBook } {
  const all = [...existing];
  const byKey = new Map(all.map((r) => [`${r.prefix}\u0000${r.key}`, r.code]));
  const taken = new Set(all.map((r) => r.code));
  const highest = new Map<string, number>();
  for (const r of all) {
    const p = parseCode(r.code);
    const prefix = p?.prefix ?? r.prefix;
    highest.set(prefix, Math.max(highest.get(prefix) ?? 0, numberOf(r.code)));
    if (r.prefix !== prefix) highest.set(r.prefix, Math.max(highest.get(r.prefix) ?? 0, numberOf(r.code)));
  }
  const added: CodeRecord[] = [];
  const codeFor = (prefix: string, key: string): string => {
    const known = byKey.get(`${prefix}\u0000${key}`);
    if (known) return known;
    let n = (highest.get(prefix) ?? 0) + 1;
    while (taken.has(formatCode(prefix, n))) n++;
    const code = formatCode(prefix, n);
    highest.set(prefix, n);
    taken.add(code);
    byKey.set(`${prefix}\u0000${key}`, code);
    added.push({ prefix, key, code });
    return code;
  };
  const prefixes = mode === 'auto' ? [AUTO_PREFIX] : groupPrefixes(groups.map((g) => g.name));
  const clips = groups.map((g, i) => Object.fromEntries(g.clips.map((key) => [key, codeFor(prefixes[i]!, key)])));
  const headlines: Record<string, string> = {};
  for (const g of groups) for (const text of g.headlines ?? []) headlines[text] = codeFor(HEADLINE_PREFIX, text);
  return {
    added,
    book: { mode, groups: mode === 'auto' ? ['Clips'] : groups.map((g) => g.name), clips, headlines },
  };
}
