import type { CodeBook } from './assign.ts';

/** What an output carries so an ad account can name it and its report can be read back. */
export interface AdCodes {
  /** Group name → clip code (auto mode: "Clips 1", "Clips 2"…), plus `headline` when the output shows one. */
  components: Record<string, string>;
  /** Codes joined in group order, headlines last: "H3-B1-C2-T1". The name to give the ad on the platform. */
  adName: string;
  /** Stable hash of the combination: the same for its placements (and on every machine). */
  adId: string;
}

/** FNV-1a, 64-bit: a short stable fingerprint (not for anything secret). */
function fnv1a64(text: string): bigint {
  let h = 0xcbf29ce484222325n;
  for (const byte of new TextEncoder().encode(text)) {
    h ^= BigInt(byte);
    h = (h * 0x100000001b3n) & 0xffffffffffffffffn;
  }
  return h;
}

/** "ad" + 10 base-36 characters of the adName's hash: a second handle when an ad's name was changed by hand. */
export function adIdOf(adName: string): string {
  return `ad${(fnv1a64(adName) % 36n ** 10n).toString(36).padStart(10, '0')}`;
}

/** Keys of the components object: group names, made unique ("Body", "Body (2)") and never "headline". */
export function componentKeys(groups: readonly string[]): string[] {
  const seen = new Map<string, number>();
  return groups.map((raw) => {
    const name = raw.trim() || 'Group';
    const base = name.toLowerCase() === 'headline' ? `${name} (group)` : name;
    const n = (seen.get(base.toLowerCase()) ?? 0) + 1;
    seen.set(base.toLowerCase(), n);
    return n === 1 ? base : `${base} (${n})`;
  });
}

/**
 * The codes of one combination: `clipIds` in play order (one per group in manual mode), `headlines` as
 * Combination.headlines. Null when a clip has no code (the book is older than the plan).
 */
export function adCodesFor(
  book: CodeBook,
  clipIds: readonly string[],
  headlines?: readonly (string | null)[],
): AdCodes | null {
  const components: Record<string, string> = {};
  const codes: string[] = [];
  if (book.mode === 'auto') {
    const pool = book.clips[0] ?? {};
    for (const [i, id] of clipIds.entries()) {
      const code = pool[id];
      if (!code) return null;
      components[`${book.groups[0] ?? 'Clips'} ${i + 1}`] = code;
      codes.push(code);
    }
  } else {
    const keys = componentKeys(book.groups);
    for (const [i, id] of clipIds.entries()) {
      const code = book.clips[i]?.[id];
      if (!code) return null;
      components[keys[i]!] = code;
      codes.push(code);
    }
  }
  const shown = (headlines ?? []).filter((h): h is string => !!h);
  const titleCodes: string[] = [];
  for (const text of shown) {
    const code = book.headlines[text];
    if (!code) return null;
    titleCodes.push(code);
  }
  if (titleCodes.length) components.headline = titleCodes[0]!;
  const adName = [...codes, ...titleCodes].join('-');
  return { components, adName, adId: adIdOf(adName) };
}
