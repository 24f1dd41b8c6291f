import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { makeClip } from '../../test/fixtures/media.ts';
import { call, callFails, withTestCore } from '../../test/helpers/core.ts';
import { probeFile } from '../engine/probe/probe.ts';

const t = withTestCore('results');

describe('results in the app: codes, imports, next batch', () => {
  it('codes clips as they join groups, names outputs by them, imports reports without double counting, refuses bad CSVs', async () => {
    const { core, root } = t();
    const clipFile = await makeClip(join(root, 'media'), 'one', { duration: 0.3 });
    const info = await probeFile(clipFile);
    const project = await call(core, 'projects.create', { name: 'Été Sale', mode: 'manual' });
    const projectId = project.id;
    const detail = await call(core, 'projects.get', { projectId });
    const [hook, body, cta] = detail.groups;
    const clip = (name: string) =>
      core.store.clips.insert(projectId, {
        path: join(root, 'media', `${name}.mp4`),
        name: `${name}.mp4`,
        hash: name,
        info,
        status: 'ok',
      }).id;
    const hooks = ['h1', 'h2', 'h3'].map(clip);
    const [b1, c1] = [clip('b1'), clip('c1')];
    await call(core, 'groups.setClips', { groupId: hook!.id, clipIds: hooks });
    await call(core, 'groups.setClips', { groupId: body!.id, clipIds: [b1] });
    await call(core, 'groups.setClips', { groupId: cta!.id, clipIds: [c1] });
    const codes = await call(core, 'codes.list', { projectId });
    expect(codes.map((c) => [c.code, c.label, c.group])).toEqual([
      ['H1', 'h1.mp4', 'Hook'],
      ['H2', 'h2.mp4', 'Hook'],
      ['H3', 'h3.mp4', 'Hook'],
      ['B1', 'b1.mp4', 'Body'],
      ['C1', 'c1.mp4', 'Call to action'],
    ]);

    // Two of the three combinations rendered (queue paused: the outputs exist, named by their codes).
    await call(core, 'queue.pause', {});
    await call(core, 'projects.update', { projectId, settings: { count: 2 } });
    const job = await call(core, 'jobs.start', { projectId });
    const outputs = core.store.outputs.list({ jobId: job.id }).items;
    const names = outputs.map((o) => o.path!.split('/').pop()).sort();
    expect(names).toHaveLength(2);
    for (const n of names) expect(n).toMatch(/^Ete-Sale_H[123]-B1-C1_9x16\.mp4$/);
    const ran = names.map((n) => n!.split('_')[1]!);

    const csv = [
      'Reporting starts,Reporting ends,Ad name,Amount spent (USD),Impressions,Link clicks,3-second video plays,Results',
      `2026-11-01,2026-11-07,${ran[0]},$300.00,"15,000",450,"6,000",10`,
      `2026-11-01,2026-11-07,${ran[1]} - Copy,$100.00,"15,000",150,"3,000",2`,
      '2026-11-01,2026-11-07,Someone else,$1.00,10,0,,',
    ].join('\n');
    const view = await call(core, 'results.import', { projectId, file: { name: 'meta.csv', content: csv } });
    expect(view.ads).toBe(2);
    const first = view.components.find((c) => c.code === ran[0]!.split('-')[0]);
    expect(first).toMatchObject({ group: 'Hook', impressions: 15000, clicks: 450, rank: 1, cpa: 30 });
    expect(view.components.find((c) => c.code === 'C1')).toMatchObject({
      impressions: 30000,
      clicks: 600,
      conversions: 12,
    });
    expect(view.unmatched).toEqual([expect.objectContaining({ adName: 'Someone else', file: 'meta.csv', line: 4 })]);

    // The same export again: counted once (the newer import's rows win).
    const again = await call(core, 'results.import', { projectId, file: { name: 'meta (1).csv', content: csv } });
    expect(again.imports.map((i) => [i.file, i.rows, i.counted])).toEqual([
      ['meta.csv', 3, 0],
      ['meta (1).csv', 3, 3],
    ]);
    expect(again.components.find((c) => c.code === 'C1')?.impressions).toBe(30000);

    // Bad input: named file and columns; not CSV; earlier imports untouched.
    const missing = await callFails(core, 'results.import', {
      projectId,
      file: { name: 'ads.csv', content: 'Campaign,Spend\nx,1\n' },
    });
    expect(missing).toMatchObject({
      code: 'REPORT_COLUMNS_MISSING',
      details: { file: 'ads.csv', missing: ['adName', 'impressions'] },
    });
    expect(missing.message).toContain('"ads.csv" has no "adName" or "impressions" column');
    const binary = await callFails(core, 'results.import', {
      projectId,
      file: { name: 'x.xlsx', content: 'PK\u0003\u0004\u0000\u0000' },
    });
    expect(binary.code).toBe('NOT_CSV');
    const mapped = await call(core, 'results.get', { projectId });
    expect(mapped.imports).toHaveLength(2);
    // The mapping dialog's retry: the same file with its columns named.
    const withMap = await call(core, 'results.import', {
      projectId,
      file: { name: 'ads.csv', content: `Campaign,Spend,Views\n${ran[0]},5,1000\n` },
      mapping: { adName: 'Campaign', impressions: 'Views', spend: 'Spend' },
    });
    expect(withMap.imports.at(-1)).toMatchObject({ file: 'ads.csv', platform: 'other', counted: 1 });

    // Codes can be edited, never to one used before.
    const renamed = await call(core, 'codes.rename', { projectId, code: 'H3', to: 'h9' });
    expect(renamed.find((c) => c.label === 'h3.mp4')?.code).toBe('H9');
    expect((await callFails(core, 'codes.rename', { projectId, code: 'H9', to: 'H1' })).message).toMatch(/H1 is taken/);
    expect((await callFails(core, 'codes.rename', { projectId, code: 'H9', to: 'B4' })).message).toMatch(
      /keep the prefix "H"/,
    );

    // Next batch: only the combination never rendered, explained.
    const next = await call(core, 'results.nextBatch', { projectId, count: 5 });
    expect(next.combinations).toHaveLength(1);
    expect(ran).not.toContain(next.combinations[0]!.adName);
    expect(next.explain[0]).toMatch(/^Next batch: 1 new combination \(1 never run\)/);
    expect(next.explain.some((l) => /^(H1|H2|H9) (kept|dropped): CTR \d\.\d % \[\d\.\d–\d\.\d\]/.test(l))).toBe(true);
    // Rendered from the app: a job of just that combination, named by its codes.
    const nextJob = await call(core, 'results.renderNextBatch', { projectId, count: 5 });
    const made = core.store.outputs.list({ jobId: nextJob.id }).items;
    expect(made.map((o) => o.path!.split('/').pop())).toEqual([`Ete-Sale_${next.combinations[0]!.adName}_9x16.mp4`]);
    expect(made[0]!.clipIds).toEqual(next.combinations[0]!.clipIds);
    await call(core, 'jobs.cancel', { jobId: job.id });
    await call(core, 'jobs.cancel', { jobId: nextJob.id });
  });
});
