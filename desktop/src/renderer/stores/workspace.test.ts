import { describe, expect, it } from 'vitest';
import { hashForScreen, screenFromHash } from './app.ts';

describe('screen routing', () => {
  it('round-trips the project screen through the hash', () => {
    const screen = { name: 'project', projectId: 'a b/c' } as const;
    expect(screenFromHash(hashForScreen(screen))).toEqual(screen);
    expect(screenFromHash('')).toEqual({ name: 'projects' });
    expect(screenFromHash('#/nonsense')).toEqual({ name: 'projects' });
  });
});
