import { existsSync, mkdtempSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { copyFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { basename, dirname, join } from 'node:path';
import type { ApiEvent, Project } from '@vmp/shared/api';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ffprobeJson, makeClip } from '../../test/fixtures/media.ts';
import { call, callFails } from '../../test/helpers/core.ts';
import { EventLog } from '../../test/helpers/events.ts';
import { type Core, createCore } from './core.ts';
import { hostPlatform } from './platform.ts';

let root: string;
let core: Core;
const log = new EventLog();
let clips: { hookA: string; hookB: string; body: string; cta: string; text: string };

beforeAll(async () => {
  root = mkdtempSync(join(tmpdir(), 'vmp-core-'));
  const media = join(root, 'media');
  clips = {
    hookA: await makeClip(media, 'hook-a', { color: 'red', duration: 0.5 }),
    hookB: await makeClip(media, 'hook-b', { color: 'blue', duration: 0.5, audio: false }),
    body: await makeClip(media, 'body', { duration: 0.5 }),
    cta: await makeClip(media, 'cta', { color: 'green', duration: 0.5 }),
    text: join(media, 'notes.txt'),
  };
  writeFileSync(clips.text, 'not a video\n');
  core = createCore({
    dataDir: join(root, 'data'),
    defaultOutputDir: join(root, 'out'),
    platform: hostPlatform({ PATH: '' }, 'linux'),
  });
  core.subscribe(log.push);
});

afterAll(async () => {
  await core?.close();
  rmSync(root, { recursive: true, force: true });
});

type Clips = typeof clips;

/**
 * A project of its own over its own copies of the clips (tests rename and overwrite them):
 * Hook holds hook-a and hook-b, Body holds body, Call to action holds cta; notes.txt is in no group.
 */
async function newProject(name: string): Promise<{ project: Project; clips: Clips }> {
  const dir = mkdtempSync(join(root, 'clips-'));
  const own = Object.fromEntries(Object.entries(clips).map(([k, p]) => [k, join(dir, basename(p))])) as Clips;
  await Promise.all(Object.keys(clips).map((k) => copyFile(clips[k as keyof Clips], own[k as keyof Clips])));
  const project = await call(core, 'projects.create', { name });
  const [hook, body, cta] = (await call(core, 'projects.get', { projectId: project.id })).groups;
  const projectId = project.id;
  await call(core, 'clips.import', { projectId, paths: [own.hookA, own.hookB], groupId: hook!.id });
  await call(core, 'clips.import', { projectId, paths: [own.text] });
  await call(core, 'clips.import', { projectId, paths: [own.body], groupId: body!.id });
  await call(core, 'clips.import', { projectId, paths: [own.cta], groupId: cta!.id });
  return { project, clips: own };
}

describe('core through dispatch', () => {
  it('rejects unknown methods and bad input, naming the field', async () => {
    expect(await callFails(core, 'nope.nothing', {})).toMatchObject({ code: 'VALIDATION_ERROR' });
    const blank = await callFails(core, 'projects.create', { name: '   ' });
    expect(blank.code).toBe('VALIDATION_ERROR');
    expect(blank.message).toMatch(/^projects.create: name: must not be empty/);
    const settings = await callFails(core, 'projects.update', { projectId: 'x', settings: { fps: 0 } });
    expect(settings.message).toMatch(/settings\.fps/);
    expect(await callFails(core, 'projects.get', { projectId: 'missing' })).toMatchObject({
      code: 'NOT_FOUND',
      message: expect.stringMatching(/Project missing does not exist/),
    });
    expect(await callFails(core, 'app.info', { extra: 1 })).toMatchObject({ code: 'VALIDATION_ERROR' });
  });

  it('answers app info and settings; dialogs are unsupported on the host', async () => {
    const info = await call(core, 'app.info', {});
    expect(info).toMatchObject({
      transport: 'browser',
      capabilities: { upload: true, nativeDialogs: false, reveal: false },
    });
    expect(info.ffmpeg.ok).toBe(true);
    expect(await call(core, 'app.updateSettings', { concurrency: 1 })).toMatchObject({ concurrency: 1 });
    expect(await callFails(core, 'dialog.pickClips', {})).toMatchObject({ code: 'UNSUPPORTED' });
  });

  it('creates a manual project with Hook, Body and Call to action, imports clips into groups', async () => {
    const project = await call(core, 'projects.create', { name: 'Spring sale' });
    expect(project.outputDir).toBe(join(root, 'out', 'Spring sale'));
    const { groups } = await call(core, 'projects.get', { projectId: project.id });
    expect(groups.map((g) => g.name)).toEqual(['Hook', 'Body', 'Call to action']);
    const [hook, body, cta] = groups;

    const imported = await call(core, 'clips.import', {
      projectId: project.id,
      paths: [clips.hookA, clips.hookB, clips.text, join(root, 'media', 'gone.mp4'), clips.hookA],
      groupId: hook!.id,
    });
    expect(imported.clips.map((c) => [c.name, c.status])).toEqual([
      ['hook-a.mp4', 'ok'],
      ['hook-b.mp4', 'ok'],
      ['notes.txt', 'problem'],
    ]);
    expect(imported.clips[0]!).toMatchObject({ hasThumbnail: true, hash: expect.any(String) });
    expect(imported.clips[0]!.info?.video).toMatchObject({ width: 320, height: 240 });
    expect(imported.clips[2]!.problems[0]!.message).toMatch(/notes.txt/);
    expect(imported.skipped).toEqual([
      { path: join(root, 'media', 'gone.mp4'), reason: 'File not found.' },
      { path: clips.hookA, reason: 'Already in this project.' },
    ]);
    expect(existsSync(core.thumbnailFile(imported.clips[0]!.id)!)).toBe(true);
    await call(core, 'clips.import', { projectId: project.id, paths: [clips.body], groupId: body!.id });
    await call(core, 'clips.import', { projectId: project.id, paths: [clips.cta], groupId: cta!.id });
    expect(log.events.some((e) => e.type === 'clip.updated' && e.clip.name === 'cta.mp4')).toBe(true);
  });

  it('moves clips between groups, adds rules and previews the plan with its credit cost', async () => {
    const { project } = await newProject('Moves');
    const start = await call(core, 'projects.get', { projectId: project.id });
    const text = start.clips.find((c) => c.name === 'notes.txt')!;
    await call(core, 'groups.moveClip', {
      clipId: text.id,
      fromGroupId: null,
      toGroupId: start.groups[0]!.id,
      index: 2,
    });
    const before = await call(core, 'projects.get', { projectId: project.id });
    const [hook, body] = before.groups;
    const moved = await call(core, 'groups.moveClip', {
      clipId: text.id,
      fromGroupId: hook!.id,
      toGroupId: body!.id,
      index: 0,
    });
    expect(moved.map((g) => g.clipIds.length)).toEqual([2, 2]);
    expect(moved[1]!.clipIds[0]).toBe(text.id);
    let preview = await call(core, 'plan.preview', { projectId: project.id });
    expect(preview).toMatchObject({ mode: 'manual', possible: 2, count: 2, creditCost: 2 });
    expect(preview.warnings[0]).toMatch(/1 clip left out: "notes.txt" \(problem\)/);

    const [a, b] = hook!.clipIds;
    const bodyClip = before.groups[1]!.clipIds[0]!;
    const rule = await call(core, 'rules.add', { projectId: project.id, clipA: a!, clipB: bodyClip });
    preview = await call(core, 'plan.preview', { projectId: project.id });
    expect(preview.count).toBe(1);
    expect(preview.combinations[0]!.clipIds[0]).toBe(b);
    await call(core, 'rules.remove', { ruleId: rule.id });
    await call(core, 'groups.moveClip', { clipId: text.id, fromGroupId: body!.id, toGroupId: null, index: 0 });

    const empty = await call(core, 'groups.create', { projectId: project.id, name: 'Extra' });
    preview = await call(core, 'plan.preview', { projectId: project.id });
    expect(preview).toMatchObject({ count: 0, creditCost: 0 });
    expect(preview.warnings.join(' ')).toMatch(/Group "Extra" is empty/);
    expect(await callFails(core, 'jobs.start', { projectId: project.id })).toMatchObject({ code: 'VALIDATION_ERROR' });
    await call(core, 'groups.delete', { groupId: empty.id });
  });

  it('renders a job with the real engine: every output completed, files playable, events with progress', async () => {
    const { project, clips } = await newProject('Renders');
    await call(core, 'projects.update', { projectId: project.id, settings: { format: '1:1', fps: 15 } });
    const job = await call(core, 'jobs.start', { projectId: project.id });
    expect(job).toMatchObject({ total: 2, status: expect.stringMatching(/queued|running/) });
    const done = await log.some<Extract<ApiEvent, { type: 'job.updated' }>>(
      (e) => e.type === 'job.updated' && e.job.id === job.id && e.job.status !== 'running' && e.job.status !== 'queued',
    );
    expect(done.job).toMatchObject({ status: 'completed', completed: 2, progress: 1 });
    const { items, total } = await call(core, 'outputs.list', { jobId: job.id });
    expect(total).toBe(2);
    for (const output of items) {
      expect(output).toMatchObject({ status: 'completed', attempts: 1, error: null });
      const probe = await ffprobeJson(output.path!);
      expect(probe.streams.find((s) => s.codec_type === 'video')).toMatchObject({ width: 1080, height: 1080 });
      expect(core.outputFile(output.id)).toBe(output.path);
    }
    expect(log.events.some((e) => e.type === 'output.updated' && e.output.status === 'processing')).toBe(true);
    const summary = (await call(core, 'projects.list', {})).find((p) => p.id === project.id);
    expect(summary).toMatchObject({ outputCount: 2, clipCount: 5 });
    // Reveal on a host without a desktop answers a typed error that gives the path.
    const reveal = await callFails(core, 'outputs.reveal', { outputId: items[0]!.id });
    expect(reveal).toMatchObject({ code: 'UNSUPPORTED' });
    expect(reveal.message).toContain(items[0]!.path!);
    expect(await callFails(core, 'outputs.cancel', { outputId: items[0]!.id })).toMatchObject({ code: 'CONFLICT' });

    // A second job started at once gets its own folder; cancelling it cancels every unfinished output.
    await call(core, 'queue.pause', {});
    const again = await call(core, 'jobs.start', { projectId: project.id });
    expect(again.outputDir).not.toBe(job.outputDir);
    expect(await call(core, 'jobs.get', { jobId: again.id })).toMatchObject({ status: 'paused' });
    expect(await call(core, 'jobs.cancel', { jobId: again.id })).toMatchObject({ status: 'cancelled', cancelled: 2 });
    await call(core, 'queue.resume', {});
    expect((await call(core, 'jobs.list', { projectId: project.id })).map((j) => j.id)).toEqual([again.id, job.id]);

    await call(core, 'projects.update', { projectId: project.id, outputDir: join(clips.text, 'outputs') });
    const unwritable = await callFails(core, 'jobs.start', { projectId: project.id });
    expect(unwritable).toMatchObject({
      code: 'VALIDATION_ERROR',
      message: expect.stringMatching(/^outputDir: cannot create/),
    });
  });

  it('flags moved and changed clips and relinks them', async () => {
    const { project, clips } = await newProject('Relinks');
    const moved = join(dirname(clips.hookA), 'hook-a-moved.mp4');
    renameSync(clips.hookA, moved);
    await copyFile(clips.hookB, clips.cta);
    const rechecked = await call(core, 'clips.recheck', { projectId: project.id });
    const byName = new Map(rechecked.map((c) => [c.name, c]));
    expect(byName.get('hook-a.mp4')).toMatchObject({ status: 'missing', problems: [{ code: 'MISSING' }] });
    expect(byName.get('cta.mp4')).toMatchObject({ status: 'changed', problems: [{ code: 'CHANGED' }] });
    const relinked = await call(core, 'clips.relink', { clipId: byName.get('hook-a.mp4')!.id, path: moved });
    expect(relinked).toMatchObject({ status: 'ok', path: moved, name: 'hook-a-moved.mp4', problems: [] });
    const preview = await call(core, 'plan.preview', { projectId: project.id });
    expect(preview.warnings.join(' ')).toMatch(/"cta.mp4" \(changed\)/);
    expect(
      await callFails(core, 'clips.relink', { clipId: relinked.id, path: join(root, 'nowhere.mp4') }),
    ).toMatchObject({ code: 'NOT_FOUND', message: expect.stringMatching(/^path: /) });
  });

  it('deletes a project and its records, not its files', async () => {
    const { project } = await newProject('Deletes');
    const job = await call(core, 'jobs.start', { projectId: project.id });
    await log.some((e) => e.type === 'job.updated' && e.job.id === job.id && e.job.status === 'completed');
    const outputs = await call(core, 'outputs.list', { projectId: project.id, status: 'completed' });
    expect(outputs.total).toBe(2);
    await call(core, 'projects.delete', { projectId: project.id });
    expect((await call(core, 'projects.list', {})).map((p) => p.id)).not.toContain(project.id);
    expect(await call(core, 'outputs.list', { projectId: project.id })).toEqual({ items: [], total: 0 });
    expect(existsSync(outputs.items[0]!.path!)).toBe(true);
  });
});
