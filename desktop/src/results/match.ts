const escapeRe = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/**
 * The ad a platform's row is about: the longest known `adName` found in the row's name as a whole (not inside a
 * longer code: "H1-B1" is not in "XH1-B1" nor in "H1-B12"), case-insensitive, so "H3-B1-C2-T1 - Copy" or
 * "Summer_H3-B1-C2-T1_reels.mp4" still match. Null when none is.
 */
export function matchAd(rowName: string, adNames: readonly string[]): string | null {
  let best: string | null = null;
  for (const name of adNames) {
    if (best !== null && name.length <= best.length) continue;
    // Before: not a letter, digit or dot. After: not a letter or digit, nor a dot that continues a code.
    const re = new RegExp(`(?<![A-Za-z0-9.])${escapeRe(name)}(?![A-Za-z0-9]|\\.\\d)`, 'i');
    if (re.test(rowName)) best = name;
  }
  return best;
}

/** Index of ads for many rows: by our adId (in the Ad ID column or the name) first, then by name. */
export function createMatcher(ads: ReadonlyArray<{ adName: string; adId: string }>) {
  const byId = new Map(ads.map((a) => [a.adId.toLowerCase(), a.adName]));
  const names = [...new Set(ads.map((a) => a.adName))].sort((a, b) => b.length - a.length);
  return (row: { adName: string; adId: string | null }): string | null => {
    const id = row.adId?.toLowerCase();
    if (id && byId.has(id)) return byId.get(id)!;
    const idInName = /\bad[0-9a-z]{10}\b/i.exec(row.adName)?.[0]?.toLowerCase();
    if (idInName && byId.has(idInName)) return byId.get(idInName)!;
    return row.adName ? matchAd(row.adName, names) : null;
  };
}
