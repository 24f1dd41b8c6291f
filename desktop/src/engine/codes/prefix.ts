/**
 * The letter of a group's codes, from its name: Hook → H, Body → B, Call to action / CTA → C. A group whose name
 * gives none is G1, G2… in group order (its clips then read G1.1, G1.2…: the dot keeps "G1" and the clip number
 * apart). Two groups with the same letter share one numbering, so every code stays unique in the project.
 */
const KNOWN: Array<[RegExp, string]> = [
  [/^(the\s+)?hooks?\b/i, 'H'],
  [/^(the\s+)?bod(y|ies)\b/i, 'B'],
  [/^(cta|ctas|call[\s_-]*to[\s_-]*actions?)\b/i, 'C'],
];

/** Headline codes: T1, T2… across the project. */
export const HEADLINE_PREFIX = 'T';
/** Auto mode has no groups: its clips read K1, K2… */
export const AUTO_PREFIX = 'K';

export function knownLetter(name: string): string | null {
  // Folders are often numbered for their order: "1-hook", "02_body".
  const trimmed = name.trim().replace(/^\d+[\s._-]*/, '');
  for (const [re, letter] of KNOWN) if (re.test(trimmed)) return letter;
  return null;
}

/** Prefix per group, in group order. */
export function groupPrefixes(names: readonly string[]): string[] {
  let other = 0;
  return names.map((name) => knownLetter(name) ?? `G${++other}`);
}

/** "H" + 3 → "H3"; "G2" + 3 → "G2.3". */
export function formatCode(prefix: string, n: number): string {
  return /\d$/.test(prefix) ? `${prefix}.${n}` : `${prefix}${n}`;
}

/** A code as the user may type it: a letter or G<digits>, then the number. */
export const CODE_PATTERN = /^(?:[A-Z]|G\d+\.)\d+$/;

/** Splits a code back into prefix and number ("G2.3" → ["G2", 3]); null when it is not a code. */
export function parseCode(code: string): { prefix: string; n: number } | null {
  const m = /^([A-Z])(\d+)$/.exec(code) ?? /^(G\d+)\.(\d+)$/.exec(code);
  return m ? { prefix: m[1]!, n: Number(m[2]) } : null;
}
