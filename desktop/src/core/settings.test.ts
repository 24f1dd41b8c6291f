import { RenderSettings } from '@vmp/shared';
import { describe, expect, it } from 'vitest';
import { defaultAppSettings, mergeRenderSettings, resolveAppSettings } from './settings.ts';

describe('mergeRenderSettings', () => {
  it('merges nested objects field by field and clears with null', () => {
    const base = RenderSettings.parse({ count: 10, audio: { mode: 'music', musicPath: '/m.mp3' } });
    const next = mergeRenderSettings(base, { fit: 'blur', variations: { zoom: 1 }, audio: { musicPath: null } });
    expect(next.fit).toBe('blur');
    expect(next.variations).toEqual({ ...base.variations, zoom: 1 });
    expect(next.audio.musicPath).toBeUndefined();
    expect(next.audio.mode).toBe('music');
    expect(next.count).toBe(10);
    expect(mergeRenderSettings(base, { count: null }).count).toBeUndefined();
  });
});

describe('resolveAppSettings', () => {
  it('keeps valid stored values and drops invalid ones', () => {
    const defaults = defaultAppSettings('/out');
    expect(resolveAppSettings({ concurrency: 4 }, defaults)).toEqual({ ...defaults, concurrency: 4 });
    expect(resolveAppSettings({ concurrency: 99 }, defaults)).toEqual(defaults);
    expect(resolveAppSettings(undefined, defaults)).toEqual(defaults);
  });
});
