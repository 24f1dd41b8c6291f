import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { makeClip } from '../../test/fixtures/media.ts';
import { call, callFails, withTestCore } from '../../test/helpers/core.ts';
import { ocrAt } from '../engine/text/ocr.testing.ts';
import { buildOutputSpec } from '../queue/spec.ts';

const t = withTestCore('headlines');

describe('headlines per group in the app', () => {
  it('groups.setHeadlines stores trimmed lines, doubles the plan, and the job hands them to the renderer', async () => {
    const { core, root } = t();
    const media = join(root, 'media');
    const paths = [await makeClip(media, 'hook', { duration: 1 }), await makeClip(media, 'body', { duration: 1 })];
    const { id: projectId } = await call(core, 'projects.create', { name: 'Headlines' });
    await call(core, 'projects.update', { projectId, mode: 'manual' });
    const { clips } = await call(core, 'clips.import', { projectId, paths });
    for (const g of (await call(core, 'projects.get', { projectId })).groups) {
      await call(core, 'groups.delete', { groupId: g.id });
    }
    const hooks = await call(core, 'groups.create', { projectId, name: 'Hooks' });
    const body = await call(core, 'groups.create', { projectId, name: 'Body' });
    await call(core, 'groups.setClips', { groupId: hooks.id, clipIds: [clips[0]!.id] });
    await call(core, 'groups.setClips', { groupId: body.id, clipIds: [clips[1]!.id] });
    expect((await call(core, 'plan.preview', { projectId })).count).toBe(1);

    const set = await call(core, 'groups.setHeadlines', {
      groupId: hooks.id,
      headlines: ['  Stop scrolling ', '', 'Wait for it'],
    });
    expect(set.headlines).toEqual(['Stop scrolling', 'Wait for it']);
    const detail = await call(core, 'projects.get', { projectId });
    expect(detail.groups.find((g) => g.id === hooks.id)?.headlines).toEqual(['Stop scrolling', 'Wait for it']);

    const preview = await call(core, 'plan.preview', { projectId });
    expect(preview.count).toBe(2);
    expect(preview.combinations.map((c) => c.headlines?.[0]).sort()).toEqual(['Stop scrolling', 'Wait for it']);

    const tooLong = await callFails(core, 'groups.setHeadlines', { groupId: hooks.id, headlines: ['x'.repeat(201)] });
    expect(tooLong).toMatchObject({ code: 'VALIDATION_ERROR', message: expect.stringContaining('headlines[0]') });
    // Nothing lost.
    expect((await call(core, 'projects.get', { projectId })).groups[0]?.headlines).toHaveLength(2);

    await call(core, 'queue.pause', {});
    await call(core, 'projects.update', {
      projectId,
      settings: { nameTemplate: '{index}_{text}' },
    });
    const job = await call(core, 'jobs.start', { projectId });
    const outputs = core.store.outputs.list({ jobId: job.id }).items;
    expect(outputs).toHaveLength(2);
    const specs = outputs.map((o) => buildOutputSpec(core.store.jobs.withPlan(job.id), o));
    expect(specs.map((s) => s.combination.headlines?.[0]).sort()).toEqual(['Stop scrolling', 'Wait for it']);
    expect(specs.map((s) => s.combination.headlines?.[1])).toEqual([null, null]);
    for (const s of specs) expect(s.fileName).toMatch(new RegExp(`^00\\d_${s.combination.headlines?.[0]}\\.mp4$`));

    const cleared = await call(core, 'groups.setHeadlines', { groupId: hooks.id, headlines: [] });
    expect(cleared.headlines).toBeUndefined();
    expect((await call(core, 'plan.preview', { projectId })).count).toBe(1);
    await call(core, 'jobs.cancel', { jobId: job.id });
  });

  it("a job renders each output with its one headline over the group's clip and the clip's captions", async () => {
    const { core, root } = t();
    const media = join(root, 'render');
    const hookPath = await makeClip(media, 'hook', { color: '0x203050', duration: 1 });
    const endPath = await makeClip(media, 'end', { color: '0x402020', duration: 0.5 });
    const { id: projectId } = await call(core, 'projects.create', { name: 'Burn' });
    await call(core, 'projects.update', { projectId, mode: 'manual', settings: { format: '1:1' } });
    const { clips } = await call(core, 'clips.import', { projectId, paths: [hookPath, endPath] });
    const groups = (await call(core, 'projects.get', { projectId })).groups;
    await call(core, 'groups.setClips', { groupId: groups[0]!.id, clipIds: [clips[0]!.id] });
    await call(core, 'groups.setClips', { groupId: groups[1]!.id, clipIds: [clips[1]!.id] });
    for (const g of groups.slice(2)) await call(core, 'groups.delete', { groupId: g.id });
    await call(core, 'groups.setHeadlines', { groupId: groups[0]!.id, headlines: ['STOP SCROLLING', 'WAIT FOR IT'] });
    await call(core, 'clips.setCaptions', {
      clipId: clips[0]!.id,
      cues: [{ start: 0.1, end: 0.6, text: 'APPLE BANANA' }],
    });

    const job = await call(core, 'jobs.start', { projectId });
    await call(core, 'queue.resume', {});
    for (let status = job.status; status !== 'completed'; ) {
      expect(['queued', 'running', 'paused'], `job ${status}`).toContain(status);
      await new Promise((r) => setTimeout(r, 250));
      status = (await call(core, 'jobs.get', { jobId: job.id })).status;
    }
    const outputs = core.store.outputs.list({ jobId: job.id }).items;
    const seen: string[] = [];
    for (const o of outputs) {
      const text = await ocrAt(o.path!, 0.3);
      expect(text).toContain('APPLE BANANA');
      const shown = ['STOP SCROLLING', 'WAIT FOR IT'].filter((h) => text.includes(h));
      expect(shown, text).toHaveLength(1);
      seen.push(shown[0]!);
    }
    expect(seen.sort()).toEqual(['STOP SCROLLING', 'WAIT FOR IT']);
  }, 240_000);
});
