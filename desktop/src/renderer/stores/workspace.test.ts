import { RenderSettings } from '@vmp/shared/media';
import { describe, expect, it } from 'vitest';
import { hashForScreen, screenFromHash } from './app.ts';
import { mergeSettings } from './workspace.ts';

describe('mergeSettings', () => {
  const base = RenderSettings.parse({ count: 10, audio: { mode: 'music', musicPath: '/m.mp3' } });
  it('merges nested objects field by field', () => {
    const next = mergeSettings(base, { variations: { zoom: 1 }, audio: { musicVolume: 0.5 } });
    expect(next.variations).toEqual({ ...base.variations, zoom: 1 });
    expect(next.audio).toMatchObject({ mode: 'music', musicPath: '/m.mp3', musicVolume: 0.5 });
  });
  it('clears count and music path with null', () => {
    const next = mergeSettings(base, { count: null, audio: { musicPath: null } });
    expect('count' in next).toBe(false);
    expect('musicPath' in next.audio).toBe(false);
    expect(mergeSettings(base, { count: 3 }).count).toBe(3);
  });
});

describe('screen routing', () => {
  it('round-trips the project screen through the hash', () => {
    const screen = { name: 'project', projectId: 'a b/c' } as const;
    expect(screenFromHash(hashForScreen(screen))).toEqual(screen);
    expect(screenFromHash('')).toEqual({ name: 'projects' });
    expect(screenFromHash('#/nonsense')).toEqual({ name: 'projects' });
  });
});
