import { RenderSettings } from '@vmp/shared';
import { describe, expect, it } from 'vitest';
import { RenderFailedError } from './errors.ts';
import { csvField, manifestCsv, manifestJson } from './manifest.ts';

const input = {
  projectName: 'P',
  createdAt: new Date('2026-01-02T03:04:05Z'),
  settings: RenderSettings.parse({}),
  outputs: [
    {
      index: 0,
      path: '/out/P-001-a_b.mp4',
      clipIds: ['a', 'b'],
      sources: ['/s/a.mp4', '/s/b, "x".mp4'],
      duration: 2,
      seed: 9,
    },
  ],
  failed: [{ index: 1, error: new RenderFailedError('Output 2 failed', { index: 1 }) }],
};

describe('manifest', () => {
  it('writes one CSV row per output with quoted fields', () => {
    const lines = manifestCsv(input).trim().split('\r\n');
    expect(lines[0]).toBe('index,file,clip_ids,sources,seed,duration_s,format,fit,strategy,fps,audio,headline');
    expect(lines[1]).toBe('1,P-001-a_b.mp4,a | b,"/s/a.mp4 | /s/b, ""x"".mp4",9,2.000,9:16,cover,fast,30,keep,');
  });

  it('records the headline shown in each output (CSV column, JSON field)', () => {
    const withHeadline = { ...input, outputs: [{ ...input.outputs[0]!, headlines: ['Stop, look', null] }] };
    expect(manifestCsv(withHeadline).trim().split('\r\n')[1]).toMatch(/,keep,"Stop, look"$/);
    expect(JSON.parse(manifestJson(withHeadline)).outputs[0].headlines).toEqual(['Stop, look', null]);
  });

  it('defuses spreadsheet formulas', () => {
    expect(csvField('=cmd()')).toBe("'=cmd()");
    expect(csvField(-1)).toBe('-1');
  });

  it('JSON holds settings, outputs and failures with codes', () => {
    const json = JSON.parse(manifestJson(input));
    expect(json.project).toBe('P');
    expect(json.settings.format).toBe('9:16');
    expect(json.outputs[0]).toEqual({
      index: 0,
      file: 'P-001-a_b.mp4',
      clipIds: ['a', 'b'],
      sources: ['/s/a.mp4', '/s/b, "x".mp4'],
      seed: 9,
      duration: 2,
    });
    expect(json.failed).toEqual([{ index: 1, code: 'RENDER_FAILED', message: 'Output 2 failed' }]);
    expect(json.outputs[0].variation).toBeUndefined();
  });

  it('unique outputs record their variation', () => {
    const json = JSON.parse(manifestJson({ ...input, settings: RenderSettings.parse({ strategy: 'unique' }) }));
    expect(json.outputs[0].variation).toMatchObject({ speed: expect.any(Number), zoom: expect.any(Number) });
  });
});
