import { describe, expect, it } from 'vitest';
import { defaultAppSettings, resolveAppSettings } from './settings.ts';

describe('resolveAppSettings', () => {
  it('keeps valid stored values and drops invalid ones', () => {
    const defaults = defaultAppSettings('/out');
    expect(resolveAppSettings({ concurrency: 4 }, defaults)).toEqual({ ...defaults, concurrency: 4 });
    expect(resolveAppSettings({ concurrency: 99 }, defaults)).toEqual(defaults);
    expect(resolveAppSettings(undefined, defaults)).toEqual(defaults);
  });
});
