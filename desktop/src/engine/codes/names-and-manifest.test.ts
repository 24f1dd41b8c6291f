import { DEFAULT_NAME_TEMPLATE, RenderSettings } from '@vmp/shared';
import { describe, expect, it } from 'vitest';
import { planOutputs } from '../plan-outputs.ts';
import { manifestCsv, manifestJson } from '../render/manifest.ts';
import { outputFileName } from '../render/naming.ts';
import { assignCodes } from './assign.ts';

const fields = {
  project: 'Été Sale / 2026',
  index: 6,
  total: 20,
  clipNames: ['intro', 'shoe'],
  seed: 1,
  format: '9:16',
};

describe('{codes} in output names', () => {
  it('the default name is {project}_{codes}_{placement}: ASCII, no spaces, never cut inside a word', () => {
    expect(DEFAULT_NAME_TEMPLATE).toBe('{project}_{codes}_{placement}');
    expect(outputFileName(undefined, { ...fields, codes: 'H3-B1-C2-T1' })).toBe('Ete-Sale-2026_H3-B1-C2-T1_9x16.mp4');
    expect(outputFileName(undefined, { ...fields, codes: 'H3-B1', placement: 'reels' })).toBe(
      'Ete-Sale-2026_H3-B1_reels.mp4',
    );
    const long = outputFileName(undefined, {
      ...fields,
      project: 'The whole drama of a very long summer campaign name that goes on',
      codes: 'H1-B1',
    });
    expect(long).toBe('The-whole-drama-of-a-very-long-summer-campaign-name-that_H1-B1_9x16.mp4');
    // Without codes the default keeps the old shape; other templates keep working and may use {codes}.
    expect(outputFileName(undefined, fields)).toBe('Été Sale - 2026-007-intro_shoe.mp4');
    expect(outputFileName('{project}-{index}', { ...fields, codes: 'H1' })).toBe('Été Sale - 2026-007.mp4');
    expect(outputFileName('{codes}-{format}', { ...fields, codes: 'H1-B2' })).toBe('H1-B2-9x16.mp4');
  });

  it('planOutputs names outputs by codes and hands back each one’s components, adName and adId', () => {
    const input = {
      mode: 'manual' as const,
      seed: 1,
      groups: [
        {
          name: 'Hook',
          clips: [
            { id: 'h1', duration: 1 },
            { id: 'h2', duration: 1 },
          ],
          headlines: [{ id: 'x', text: 'Buy now' }],
        },
        { name: 'Body', clips: [{ id: 'b1', duration: 2 }] },
      ],
    };
    const { book } = assignCodes(
      'manual',
      [
        { name: 'Hook', clips: ['h1', 'h2'], headlines: ['Buy now'] },
        { name: 'Body', clips: ['b1'] },
      ],
      [],
    );
    const settings = RenderSettings.parse({});
    const out = planOutputs(input, { projectName: 'P', settings, sourcePaths: new Map(), codes: book });
    expect([...out.fileNames].sort()).toEqual(['P_H1-B1-T1_9x16.mp4', 'P_H2-B1-T1_9x16.mp4']);
    const ad = out.ads[out.fileNames.indexOf('P_H2-B1-T1_9x16.mp4')]!;
    expect(ad).toMatchObject({ components: { Hook: 'H2', Body: 'B1', headline: 'T1' }, adName: 'H2-B1-T1' });

    const manifest = {
      projectName: 'P',
      createdAt: new Date(0),
      settings,
      outputs: [
        {
          index: 0,
          path: '/o/P_H2-B1-T1_9x16.mp4',
          clipIds: ['h2', 'b1'],
          sources: ['/h2.mp4', '/b1.mp4'],
          duration: 3,
          seed: 5,
          headlines: ['Buy now', null],
        },
      ],
      failed: [],
      ads: { 0: ad },
    };
    const json = JSON.parse(manifestJson(manifest));
    expect(json.outputs[0]).toMatchObject({
      components: { Hook: 'H2', Body: 'B1', headline: 'T1' },
      adName: 'H2-B1-T1',
      adId: ad.adId,
    });
    const [header, row] = manifestCsv(manifest).split('\r\n');
    expect(header!.endsWith(',headline,ad_name,ad_id,Hook,Body,headline')).toBe(true);
    expect(row!.endsWith(`,Buy now,H2-B1-T1,${ad.adId},H2,B1,T1`)).toBe(true);
  });
});
