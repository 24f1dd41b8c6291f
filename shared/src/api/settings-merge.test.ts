import { describe, expect, it } from 'vitest';
import { RenderSettings } from '../media.ts';
import { mergeRenderSettings } from './settings-merge.ts';

describe('mergeRenderSettings', () => {
  const base = RenderSettings.parse({ count: 10, audio: { mode: 'music', musicPath: '/m.mp3' } });
  it('merges nested objects field by field', () => {
    const next = mergeRenderSettings(base, { fit: 'blur', variations: { zoom: 1 }, audio: { musicVolume: 0.5 } });
    expect(next.fit).toBe('blur');
    expect(next.variations).toEqual({ ...base.variations, zoom: 1 });
    expect(next.audio).toMatchObject({ mode: 'music', musicPath: '/m.mp3', musicVolume: 0.5 });
    expect(next.count).toBe(10);
  });
  it('clears count and music path with null', () => {
    const next = mergeRenderSettings(base, { count: null, audio: { musicPath: null } });
    expect('count' in next).toBe(false);
    expect('musicPath' in next.audio).toBe(false);
    expect(next.audio.mode).toBe('music');
    expect(mergeRenderSettings(base, { count: 3 }).count).toBe(3);
  });
});
