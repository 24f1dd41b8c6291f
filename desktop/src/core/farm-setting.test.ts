import { describe, expect, it } from 'vitest';
import { nextFarmUrl, publicSettings } from './farm-setting.ts';
import { defaultAppSettings } from './settings.ts';

describe('farm URL setting', () => {
  it('never sends the password back', () => {
    const s = { ...defaultAppSettings('/out'), farmUrl: 'rediss://render:hunter2@farm.local:6380/2' };
    expect(publicSettings(s).farmUrl).toBe('rediss://render:***@farm.local:6380/2');
    expect(JSON.stringify(publicSettings(s))).not.toContain('hunter2');
    expect(publicSettings(defaultAppSettings('/out')).farmUrl).toBeNull();
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
      /^farmUrl must start with redis:\/\/ or rediss:\/\/ \(got "http:\/\/:\*\*\*@farm:6379\/?"\)/,
    );
    expect(() => nextFarmUrl('redis://farm/x', null)).toThrow(/farmUrl .*database number/);
    try {
      nextFarmUrl('redis://:hunter2@x@farm:port', null);
    } catch (error) {
      expect(error).toMatchObject({ code: 'VALIDATION_ERROR', details: { field: 'farmUrl' } });
      expect((error as Error).message).not.toContain('hunter2');
    }
  });
});
