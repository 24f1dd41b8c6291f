import { z } from 'zod';

/** PostgreSQL text and jsonb cannot hold U+0000, so no string the server stores may contain it. */
export const NUL_MESSAGE = 'must not contain NUL characters (\\u0000)';

export function hasNul(value: string): boolean {
  return value.includes('\u0000');
}

/** JSON can carry half a UTF-16 surrogate pair (`"\ud800"`); PostgreSQL cannot store it. */
export const SURROGATE_MESSAGE = 'must not contain a lone UTF-16 surrogate (half of a \\uD800-\\uDFFF pair)';

export function hasLoneSurrogate(value: string): boolean {
  return /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/.test(value);
}

/** A string of min..max characters without NUL. */
export function text(min: number, max: number) {
  return z
    .string()
    .min(min)
    .max(max)
    .refine((s) => !hasNul(s), NUL_MESSAGE);
}

/** How deep a synced project document may nest (objects and arrays); deeper ones are refused with 422. */
export const MAX_DOCUMENT_DEPTH = 64;

export interface DocumentProblem {
  path: (string | number)[];
  message: string;
}

/**
 * Walks a JSON value without recursion (a hostile document can be nested far deeper than the stack) and
 * returns the first string or key holding NUL, or the first value nested past `maxDepth`.
 */
export function findDocumentProblem(value: unknown, maxDepth = MAX_DOCUMENT_DEPTH): DocumentProblem | undefined {
  const stack: { value: unknown; path: (string | number)[] }[] = [{ value, path: [] }];
  while (stack.length > 0) {
    const { value: v, path } = stack.pop()!;
    if (typeof v === 'string') {
      if (hasNul(v)) return { path, message: NUL_MESSAGE };
      if (hasLoneSurrogate(v)) return { path, message: SURROGATE_MESSAGE };
      continue;
    }
    if (typeof v !== 'object' || v === null) continue;
    if (path.length >= maxDepth) {
      return { path, message: `nested deeper than ${maxDepth} levels; flatten the document` };
    }
    if (Array.isArray(v)) {
      for (let i = v.length - 1; i >= 0; i--) stack.push({ value: v[i], path: [...path, i] });
      continue;
    }
    const entries = Object.entries(v);
    for (let i = entries.length - 1; i >= 0; i--) {
      const [key, child] = entries[i]!;
      if (hasNul(key)) return { path: [...path, key], message: `key ${NUL_MESSAGE}` };
      if (hasLoneSurrogate(key)) return { path: [...path, key], message: `key ${SURROGATE_MESSAGE}` };
      stack.push({ value: child, path: [...path, key] });
    }
  }
  return undefined;
}
