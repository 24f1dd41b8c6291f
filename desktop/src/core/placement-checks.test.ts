import { existsSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import type { ApiEvent } from '@vmp/shared/api';
import { beforeAll, describe, expect, it } from 'vitest';
import { makeClip } from '../../test/fixtures/media.ts';
import { call, withTestCore } from '../../test/helpers/core.ts';
import { EventLog } from '../../test/helpers/events.ts';
import { adsOfManifest, readManifestFile } from '../results/manifest-file.ts';
import { connectDb, DB_FILE_NAME } from '../store/db.ts';
import { createCore } from './core.ts';
import { hostPlatform } from './platform.ts';

// The app's queue on a real SQLite file with the real engine (FFmpeg, its worker threads): a job made for
// placements checks every output before it completes, and the job ends with a near-duplicate report and a manifest.
const testCore = withTestCore('placement-checks');
const log = new EventLog();
let clips: { hookA: string; hookB: string; body: string; cta: string };

beforeAll(async () => {
  const { root, core } = testCore();
  core.subscribe(log.push);
  const media = join(root, 'media');
  // Two hooks that look the same (red) and differ only in their tone: their ads open alike.
  clips = {
    hookA: await makeClip(media, 'hook-a', { color: 'red', duration: 0.6, audio: { frequency: 440 } }),
    hookB: await makeClip(media, 'hook-b', { color: 'red', duration: 0.6, audio: { frequency: 880 } }),
    body: await makeClip(media, 'body', { duration: 0.6 }),
    cta: await makeClip(media, 'cta', { color: 'green', duration: 0.6 }),
  };
}, 120_000);

type JobEvent = Extract<ApiEvent, { type: 'job.updated' }>;

describe('a job made for placements', () => {
  it('stores each output’s pre-flight before it completes, then a near-duplicate report and a manifest', async () => {
    const { core } = testCore();
    const project = await call(core, 'projects.create', { name: 'Checked ads' });
    const [hook, body, cta] = (await call(core, 'projects.get', { projectId: project.id })).groups;
    const projectId = project.id;
    await call(core, 'clips.import', { projectId, paths: [clips.hookA, clips.hookB], groupId: hook!.id });
    await call(core, 'clips.import', { projectId, paths: [clips.body], groupId: body!.id });
    await call(core, 'clips.import', { projectId, paths: [clips.cta], groupId: cta!.id });
    await call(core, 'projects.update', { projectId, settings: { placements: ['reels', 'feed-1x1'] } });

    const job = await call(core, 'jobs.start', { projectId });
    expect(job.total).toBe(4);
    const finished = await log.some<JobEvent>(
      (e) => e.type === 'job.updated' && e.job.id === job.id && !['queued', 'running'].includes(e.job.status),
    );
    // Done only once checked: the first finished state already carries the report.
    expect(finished.job.status).toBe('completed');
    expect(finished.job.nearDuplicates).not.toBeNull();

    const { items } = await call(core, 'outputs.list', { jobId: job.id });
    expect(items.map((o) => [o.status, o.preflight?.placement])).toEqual([
      ['completed', 'reels'],
      ['completed', 'feed-1x1'],
      ['completed', 'reels'],
      ['completed', 'feed-1x1'],
    ]);
    // No output was announced completed without its pre-flight.
    const completedEvents = log.events.filter(
      (e): e is Extract<ApiEvent, { type: 'output.updated' }> =>
        e.type === 'output.updated' && e.output.jobId === job.id && e.output.status === 'completed',
    );
    expect(completedEvents.length).toBe(4);
    for (const e of completedEvents) expect(e.output.preflight).toMatchObject({ ok: expect.any(Boolean) });
    for (const o of items) {
      for (const p of o.preflight!.problems)
        expect(Object.keys(p).sort()).toEqual(['limit', 'message', 'rule', 'value']);
      // The engine's own files: the right canvas, codec, moov first, text (none) in the zone.
      expect(o.preflight!.problems.map((p) => p.rule)).not.toContain('canvas');
      expect(o.preflight!.problems.map((p) => p.rule)).not.toContain('moovFirst');
    }

    // Hook A and hook B open alike: one pair per placement, distance 0 (same pictures).
    const report = (await call(core, 'jobs.get', { jobId: job.id })).nearDuplicates!;
    expect(report.map((p) => [p.placement, p.distance])).toEqual([
      ['feed-1x1', 0],
      ['reels', 0],
    ]);
    const names = new Map(items.map((o) => [o.index, o.path!.split('/').pop()!]));
    expect(report.find((p) => p.placement === 'reels')).toMatchObject({ a: names.get(0), b: names.get(2) });

    // The manifest beside the files, as `vmp mix` writes it: preflight, components, adId, adName per row.
    const manifest = JSON.parse(readFileSync(join(job.outputDir, 'manifest.json'), 'utf8')) as {
      project: string;
      outputs: {
        index: number;
        file: string;
        placement: string;
        preflight: { ok: boolean };
        components: Record<string, string>;
        adId: string;
        adName: string;
      }[];
    };
    expect(manifest.project).toBe('Checked ads');
    expect(manifest.outputs.map((o) => [o.index, o.file, o.placement])).toEqual(
      items.map((o) => [o.index, names.get(o.index), o.preflight!.placement]),
    );
    for (const row of manifest.outputs) {
      expect(row.preflight).toEqual(items.find((o) => o.index === row.index)!.preflight);
      expect(Object.keys(row.components)).toEqual(['Hook', 'Body', 'Call to action']);
      expect(row.adName).toBe(Object.values(row.components).join('-'));
      expect(row.adId).toMatch(/^ad[0-9a-z]{10}$/);
    }
    // An ad's placements share its adId.
    expect(manifest.outputs[0]!.adId).toBe(manifest.outputs[1]!.adId);
    expect(manifest.outputs[0]!.adId).not.toBe(manifest.outputs[2]!.adId);
    // What `vmp results --manifest` reads from it: one ad per combination, with its components.
    const manifestPath = join(job.outputDir, 'manifest.json');
    const ads = adsOfManifest(await readManifestFile(manifestPath), manifestPath);
    expect(ads.map((a) => a.adName).sort()).toEqual([...new Set(manifest.outputs.map((o) => o.adName))].sort());
    expect(ads).toHaveLength(2);
    const csv = readFileSync(join(job.outputDir, 'manifest.csv'), 'utf8').split('\r\n');
    expect(csv[0]).toContain('ad_name,ad_id,Hook,Body,Call to action,placement,preflight');
  }, 300_000);

  it('checks at the next start a job that finished rendering before the app stopped', async () => {
    const { root, core } = testCore();
    const { items: before } = await call(core, 'outputs.list', { status: 'completed' });
    const jobId = before[0]!.jobId;
    const { outputDir } = await call(core, 'jobs.get', { jobId });
    await core.close();
    // As a crash after the renders leaves it: checks owed, one output never checked, no report, no manifest.
    const db = connectDb(join(root, 'data', DB_FILE_NAME));
    db.sqlite
      .prepare(
        "update jobs set status = 'running', finished_at = null, checks_owed = 1, near_duplicates = null where id = ?",
      )
      .run(jobId);
    db.sqlite.prepare('update outputs set preflight = null, opening = null where job_id = ? and idx = 0').run(jobId);
    db.close();
    rmSync(join(outputDir, 'manifest.json'));

    const again = createCore({
      dataDir: join(root, 'data'),
      defaultOutputDir: join(root, 'out'),
      platform: hostPlatform({ PATH: '' }, 'linux'),
    });
    try {
      await until(async () => (await call(again, 'jobs.get', { jobId })).status === 'completed', 'checked again');
      const job = await call(again, 'jobs.get', { jobId });
      expect(job.nearDuplicates?.map((p) => p.placement)).toEqual(['feed-1x1', 'reels']);
      const { items } = await call(again, 'outputs.list', { jobId });
      expect(items.find((o) => o.index === 0)!.preflight).toEqual(before.find((o) => o.index === 0)!.preflight);
      expect(existsSync(join(outputDir, 'manifest.json'))).toBe(true);
    } finally {
      await again.close();
    }
  }, 300_000);
});

async function until(check: () => Promise<boolean>, label: string): Promise<void> {
  const deadline = Date.now() + 240_000;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`Timed out: ${label}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}
