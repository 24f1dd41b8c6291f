import { describe, expect, it } from 'vitest';
import { findDocumentProblem, text } from './text.ts';

describe('text', () => {
  it('refuses NUL characters', () => {
    expect(text(1, 10).safeParse('ok').success).toBe(true);
    expect(text(1, 10).safeParse('a\u0000b').success).toBe(false);
  });
});

describe('findDocumentProblem', () => {
  it('accepts ordinary documents', () => {
    expect(findDocumentProblem({ a: [1, { b: 'x' }], c: null })).toBeUndefined();
  });

  it('names the path of a NUL in a value or a key', () => {
    expect(findDocumentProblem({ clips: [{ name: 'ok' }, { name: 'a\u0000' }] })?.path).toEqual(['clips', 1, 'name']);
    expect(findDocumentProblem({ meta: { 'k\u0000': 1 } })?.path).toEqual(['meta', 'k\u0000']);
  });

  it('refuses documents nested past the limit without overflowing the stack', () => {
    let deep: unknown = 'leaf';
    for (let i = 0; i < 100_000; i++) deep = [deep];
    expect(findDocumentProblem({ deep }, 64)?.message).toMatch(/deeper than 64/);
    let ok: unknown = 1;
    for (let i = 0; i < 64; i++) ok = { x: ok };
    expect(findDocumentProblem(ok, 64)).toBeUndefined();
    expect(findDocumentProblem({ x: ok }, 64)).toBeDefined();
  });
});
