import { describe, expect, it } from 'vitest';
import { RenderSettings } from '../media.ts';
import { ApiEvent, apiMethods, CallMessage, isMethodName, methodNames, RenderSettingsPatch } from './index.ts';

describe('app API contract', () => {
  it('has a description, an input and an output schema for every method', () => {
    expect(methodNames.length).toBeGreaterThan(30);
    for (const name of methodNames) {
      const m = apiMethods[name];
      expect(m.description.length, name).toBeGreaterThan(5);
      expect(typeof m.input.safeParse, name).toBe('function');
    }
  });

  it('recognises only real method names', () => {
    expect(isMethodName('projects.create')).toBe(true);
    expect(isMethodName('__proto__')).toBe(false);
    expect(isMethodName('constructor')).toBe(false);
    expect(isMethodName(42)).toBe(false);
  });

  it('rejects bad input with the field named', () => {
    const result = apiMethods['projects.create'].input.safeParse({ name: '   ' });
    expect(result.success).toBe(false);
    expect(result.error?.issues[0]?.path).toEqual(['name']);
    expect(apiMethods['app.info'].input.safeParse({ extra: 1 }).success).toBe(false);
  });

  it('fills render settings defaults, but a patch has none', () => {
    const settings = RenderSettings.parse({});
    expect(settings).toMatchObject({ format: '9:16', fit: 'cover', strategy: 'fast', fps: 30, seed: 1 });
    expect(settings.variations.zoom).toBe(4);
    expect(RenderSettingsPatch.parse({ fit: 'blur' })).toEqual({ fit: 'blur' });
    expect(RenderSettingsPatch.safeParse({ fps: 0 }).success).toBe(false);
  });

  it('validates envelopes and events', () => {
    expect(CallMessage.safeParse({ type: 'call', id: 1, method: 'app.info', input: {} }).success).toBe(true);
    expect(CallMessage.safeParse({ type: 'call', id: -1, method: 'app.info' }).success).toBe(false);
    expect(ApiEvent.safeParse({ type: 'projects.changed' }).success).toBe(true);
    expect(ApiEvent.safeParse({ type: 'nope' }).success).toBe(false);
  });
});
