import { describe, expect, it } from 'vitest';
import { joinFarmUrl, nextFarmUrl, publicSettings, splitFarmUrl } from './farm-setting.ts';
import { defaultAppSettings } from './settings.ts';

describe('farm URL setting', () => {
  it('never sends the password back', () => {
    const s = { ...defaultAppSettings('/out'), farmUrl: 'rediss://render:hunter2@farm.local:6380/2' };
    expect(publicSettings(s).farmUrl).toBe('rediss://render:***@farm.local:6380/2');
    expect(JSON.stringify(publicSettings(s))).not.toContain('hunter2');
    expect(publicSettings(defaultAppSettings('/out')).farmUrl).toBeNull();
  });

  it('splits the password off the URL the settings row keeps, and puts it back', () => {
    expect(splitFarmUrl('rediss://render:p%40ss@farm.local:6380/2')).toEqual({
      url: 'rediss://render@farm.local:6380/2',
      password: 'p%40ss',
    });
    expect(splitFarmUrl('redis://:hunter2@farm:6379')).toEqual({ url: 'redis://farm:6379', password: 'hunter2' });
    expect(splitFarmUrl('redis://farm:6379')).toEqual({ url: 'redis://farm:6379', password: null });
    expect(joinFarmUrl('rediss://render@farm.local:6380/2', 'p%40ss')).toBe('rediss://render:p%40ss@farm.local:6380/2');
    expect(joinFarmUrl('redis://farm:6379', 'hunter2')).toBe('redis://:hunter2@farm:6379');
    expect(joinFarmUrl('redis://farm:6379', null)).toBe('redis://farm:6379');
    const s = { ...defaultAppSettings('/out'), farmUrl: 'rediss://render@farm.local:6380/2' };
    expect(publicSettings(s, true).farmUrl).toBe('rediss://render:***@farm.local:6380/2');
    expect(publicSettings(s, false).farmUrl).toBe('rediss://render@farm.local:6380/2');
  });

  it('keeps the stored password when the redacted URL comes back; empty turns the farm off', () => {
    const stored = 'redis://:hunter2@farm:6379';
    expect(nextFarmUrl('redis://:***@farm:6379', stored)).toBe(stored);
    expect(nextFarmUrl('  ', stored)).toBeNull();
    expect(nextFarmUrl(null, stored)).toBeNull();
    expect(nextFarmUrl(' redis://other:6379 ', stored)).toBe('redis://other:6379');
  });

  it('refuses a URL that is not redis:// or rediss://, naming the field and hiding the password', () => {
    expect(() => nextFarmUrl('http://:hunter2@farm:6379', null)).toThrow(
      /^Render farm address must start with redis:\/\/ or rediss:\/\/ \(got "http:\/\/:\*\*\*@farm:6379\/?"\)/,
    );
    expect(() => nextFarmUrl('redis://farm/x', null)).toThrow(/Render farm address .*database number/);
    try {
      nextFarmUrl('redis://:hunter2@x@farm:port', null);
    } catch (error) {
      expect(error).toMatchObject({ code: 'VALIDATION_ERROR', details: { field: 'farmUrl' } });
      expect((error as Error).message).not.toContain('hunter2');
    }
  });
});
