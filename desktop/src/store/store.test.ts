import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { RenderSettings } from '@vmp/shared';
import { afterEach, describe, expect, it } from 'vitest';
import { defaultMigrationsDir } from './db.ts';
import { writeJobToFile } from './job-writer.ts';
import { Store } from './store.ts';

const dirs: string[] = [];
function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'vmp-store-'));
  dirs.push(dir);
  return dir;
}
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

function newProject(store: Store, groups = ['Hook', 'Body', 'Call to action']) {
  return store.projects.create({
    name: 'Spring sale',
    mode: 'manual',
    outputDir: '/tmp/out',
    settings: RenderSettings.parse({}),
    groups,
  });
}

describe('Store', () => {
  it('opens a real SQLite file in WAL mode with migrations applied, and reopens it', () => {
    const dir = tempDir();
    const store = Store.open(dir);
    expect(store.opened.sqlite.pragma('journal_mode', { simple: true })).toBe('wal');
    expect(store.opened.sqlite.pragma('foreign_keys', { simple: true })).toBe(1);
    const project = newProject(store);
    store.close();
    const again = Store.open(dir);
    expect(again.projects.get(project.id).name).toBe('Spring sale');
    again.close();
  });

  it('creates projects with ordered groups and summarises them', () => {
    const store = Store.open(tempDir());
    const project = newProject(store);
    expect(store.groups.list(project.id).map((g) => [g.name, g.position])).toEqual([
      ['Hook', 0],
      ['Body', 1],
      ['Call to action', 2],
    ]);
    store.clips.insert(project.id, { path: '/a.mp4', name: 'a.mp4', status: 'ok' });
    expect(store.projects.list()).toMatchObject([{ id: project.id, clipCount: 1, outputCount: 0 }]);
    expect(() => store.projects.get('nope')).toThrow(/Project nope does not exist/);
    store.close();
  });

  it('keeps group membership ordered, validates clip ids, reorders and compacts groups', () => {
    const store = Store.open(tempDir());
    const project = newProject(store);
    const other = newProject(store, []);
    const [hook, body] = store.groups.list(project.id);
    const a = store.clips.insert(project.id, { path: '/a.mp4', name: 'a', status: 'ok' });
    const b = store.clips.insert(project.id, { path: '/b.mp4', name: 'b', status: 'ok' });
    const foreign = store.clips.insert(other.id, { path: '/c.mp4', name: 'c', status: 'ok' });
    expect(store.groups.setClips(hook!.id, [b.id, a.id]).clipIds).toEqual([b.id, a.id]);
    expect(() => store.groups.setClips(hook!.id, [foreign.id])).toThrow(/clipIds: clip .* is not part of this project/);
    expect(() => store.groups.setClips(hook!.id, [a.id, a.id])).toThrow(/only once/);
    const reordered = store.groups.reorder(project.id, [body!.id, hook!.id, store.groups.list(project.id)[2]!.id]);
    expect(reordered.map((g) => g.name)).toEqual(['Body', 'Hook', 'Call to action']);
    expect(() => store.groups.reorder(project.id, [body!.id])).toThrow(/groupIds/);
    store.groups.delete(body!.id);
    expect(store.groups.list(project.id).map((g) => [g.name, g.position])).toEqual([
      ['Hook', 0],
      ['Call to action', 1],
    ]);
    // Removing a clip removes it from groups and rules (foreign keys cascade).
    store.rules.add(project.id, a.id, b.id);
    store.clips.remove(project.id, [a.id]);
    expect(store.groups.get(hook!.id).clipIds).toEqual([b.id]);
    expect(store.rules.list(project.id)).toEqual([]);
    store.close();
  });

  it('adds a rule once whichever order the clips are given', () => {
    const store = Store.open(tempDir());
    const project = newProject(store);
    const a = store.clips.insert(project.id, { path: '/a.mp4', name: 'a', status: 'ok' });
    const b = store.clips.insert(project.id, { path: '/b.mp4', name: 'b', status: 'ok' });
    const rule = store.rules.add(project.id, a.id, b.id);
    expect(store.rules.add(project.id, b.id, a.id).id).toBe(rule.id);
    expect(() => store.rules.add(project.id, a.id, a.id)).toThrow(/clipB/);
    store.close();
  });

  it('stores jobs with outputs and derives counts, progress and status', () => {
    const store = Store.open(tempDir());
    const project = newProject(store);
    const jobId = store.jobs.create({
      projectId: project.id,
      settings: RenderSettings.parse({}),
      seed: 7,
      plan: { combinations: [] },
      outputDir: '/tmp/out/job',
      outputs: [0, 1, 2, 3].map((index) => ({ index, clipIds: ['x'], path: `/tmp/out/job/${index}.mp4`, duration: 1 })),
    });
    expect(store.jobs.get(jobId)).toMatchObject({ status: 'queued', total: 4, progress: 0 });
    const [o0, o1, o2] = store.outputs.withStatus('pending');
    store.outputs.update(o0!.id, { status: 'completed', progress: 1 });
    store.outputs.update(o1!.id, { status: 'processing', progress: 0.5 });
    store.jobs.refreshStatus(jobId, false);
    expect(store.jobs.get(jobId)).toMatchObject({ status: 'running', completed: 1, progress: 1.5 / 4 });
    expect(store.outputs.transition(o0!.id, ['pending'], { status: 'cancelled' })).toBeNull();
    store.outputs.update(o1!.id, { status: 'failed' });
    store.outputs.update(o2!.id, { status: 'cancelled' });
    store.jobs.refreshStatus(jobId, true);
    expect(store.jobs.get(jobId).status).toBe('paused');
    expect(store.outputs.list({ jobId, status: 'pending' }).total).toBe(1);
    expect(store.outputs.list({ projectId: project.id, limit: 2, offset: 1 }).items.map((o) => o.index)).toEqual([
      1, 2,
    ]);
    store.close();
  });

  it('keeps a job made for placements open until its checks are stored; a retry makes older checks stale', () => {
    const store = Store.open(tempDir());
    const project = newProject(store);
    const jobId = store.jobs.create({
      projectId: project.id,
      settings: RenderSettings.parse({ placements: ['reels'] }),
      seed: 7,
      plan: {},
      outputDir: '/tmp/out/placed',
      outputs: [0, 1].map((index) => ({ index, clipIds: ['x'], path: `/tmp/out/placed/${index}.mp4`, duration: 1 })),
    });
    for (const o of store.outputs.withStatus('pending', jobId)) store.outputs.update(o.id, { status: 'completed' });
    store.jobs.refreshStatus(jobId, false);
    expect(store.jobs.get(jobId)).toMatchObject({ status: 'running', completed: 2, nearDuplicates: null });
    expect(store.jobs.owingChecks()).toEqual([jobId]);
    // Outputs retried while the first checks ran: those checks no longer close the job.
    store.jobs.reopenChecks(jobId);
    const pair = { placement: 'reels', a: '0.mp4', b: '1.mp4', distance: 0.5 };
    expect(store.jobs.finishChecks(jobId, 1, { total: 1, pairs: [pair] })).toBe(false);
    store.jobs.refreshStatus(jobId, false);
    expect(store.jobs.get(jobId).status).toBe('running');
    expect(store.jobs.finishChecks(jobId, 2, { total: 3, pairs: [pair] })).toBe(true);
    store.jobs.refreshStatus(jobId, false);
    expect(store.jobs.get(jobId)).toMatchObject({ status: 'completed', nearDuplicates: [pair], nearDuplicateCount: 3 });
    expect(store.jobs.owingChecks()).toEqual([]);
    store.close();
  });

  it('writes a big job from a second connection (as a worker thread does) in one go, seen by the app at once', () => {
    const store = Store.open(tempDir());
    const project = newProject(store);
    const outputs = Array.from({ length: 600 }, (_, index) => ({
      index,
      clipIds: ['a', 'b'],
      path: `/tmp/out/big/${index}.mp4`,
      duration: index % 2 ? null : 2.5,
    }));
    const job = {
      projectId: project.id,
      settings: RenderSettings.parse({}),
      seed: 1,
      plan: {},
      outputDir: '/tmp/out/big',
      outputs,
    };
    const jobId = writeJobToFile(store.opened.file, job);
    expect(store.jobs.get(jobId)).toMatchObject({ total: 600, status: 'queued' });
    const rows = store.outputs.list({ jobId, limit: 1000 }).items;
    expect(rows.map((o) => [o.index, o.clipIds, o.path, o.duration, o.status, o.attempts])).toEqual(
      outputs.map((o) => [o.index, o.clipIds, o.path, o.duration, 'pending', 0]),
    );
    expect(store.outputs.nextPending(1, Date.now())[0]?.index).toBe(0);

    // The project deleted meanwhile: a NotFoundError naming it, and nothing written.
    store.projects.delete(project.id);
    expect(() => writeJobToFile(store.opened.file, job)).toThrow(expect.objectContaining({ code: 'NOT_FOUND' }));
    expect(store.opened.sqlite.prepare('select count(*) as n from outputs').get()).toEqual({ n: 0 });
    store.close();
  });
});

describe('migrations', () => {
  it('rewrites output statuses stored in the old upper case to the lower case jobs and clips use', () => {
    // A database made by the first release: only migration 0000 applied, outputs stored as 'COMPLETED' etc.
    const dir = tempDir();
    const first = join(dir, 'migrations-0000');
    mkdirSync(join(first, 'meta'), { recursive: true });
    const all = defaultMigrationsDir();
    copyFileSync(join(all, '0000_init.sql'), join(first, '0000_init.sql'));
    const journal = JSON.parse(readFileSync(join(all, 'meta', '_journal.json'), 'utf8'));
    journal.entries = journal.entries.slice(0, 1);
    writeFileSync(join(first, 'meta', '_journal.json'), JSON.stringify(journal));
    const old = Store.open(join(dir, 'data'), { migrationsDir: first });
    // No groups: the 0000 schema has no groups.headlines for today's insert.
    const project = newProject(old, []);
    // Rows as that release wrote them (today's store would name columns later migrations add).
    const jobId = 'j0';
    old.opened.sqlite
      .prepare(
        "INSERT INTO jobs (id, project_id, status, settings, seed, plan, output_dir, total, created_at) VALUES (?, ?, 'queued', ?, 1, '{}', '/o/job', 2, 0)",
      )
      .run(jobId, project.id, JSON.stringify(RenderSettings.parse({})));
    const insert = old.opened.sqlite.prepare(
      "INSERT INTO outputs (id, job_id, project_id, idx, clip_ids, status, path, duration, updated_at) VALUES (?, ?, ?, ?, '[]', ?, ?, 1, 0)",
    );
    insert.run('o0', jobId, project.id, 0, 'COMPLETED', '/o/job/0.mp4');
    insert.run('o1', jobId, project.id, 1, 'PENDING', '/o/job/1.mp4');
    old.close();
    const upgraded = Store.open(join(dir, 'data'));
    expect(upgraded.outputs.list({ jobId }).items.map((o) => o.status)).toEqual(['completed', 'pending']);
    // 0003: groups carry headlines.
    const group = upgraded.groups.create(project.id, 'Hook');
    expect(upgraded.groups.setHeadlines(group.id, ['Stop', 'Wait']).headlines).toEqual(['Stop', 'Wait']);
    expect(upgraded.groups.setHeadlines(group.id, []).headlines).toBeUndefined();
    // 0004: outputs name their render-farm worker; older rows have none.
    expect(upgraded.outputs.list({ jobId }).items.map((o) => o.worker)).toEqual([null, null]);
    upgraded.outputs.update('o1', { status: 'processing' });
    upgraded.outputs.recordWorker('/o/job/1.mp4', 'render-2:4242');
    upgraded.outputs.recordWorker('/o/job/0.mp4', 'render-2:4242'); // completed: left as it is
    expect(upgraded.outputs.list({ jobId }).items.map((o) => o.worker)).toEqual([null, 'render-2:4242']);
    // 0006: older jobs owe no checks and carry no report; their outputs no pre-flight.
    expect(upgraded.jobs.get(jobId).nearDuplicates).toBeUndefined();
    expect(upgraded.jobs.owingChecks()).toEqual([]);
    expect(upgraded.outputs.get('o0').preflight).toBeUndefined();
    upgraded.close();
  });
});

describe('Store.jobUsesFolder', () => {
  it('knows the folders jobs write into', () => {
    const store = Store.open(tempDir());
    const project = newProject(store);
    store.jobs.create({
      projectId: project.id,
      settings: RenderSettings.parse({}),
      seed: 1,
      plan: {},
      outputDir: '/o/job-1',
      outputs: [],
    });
    expect(store.jobs.usesFolder('/o/job-1')).toBe(true);
    expect(store.jobs.usesFolder('/o/job-2')).toBe(false);
    store.close();
  });
});
