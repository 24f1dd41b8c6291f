import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ApiEvent } from '@vmp/shared/api';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeClip } from '../../test/fixtures/media.ts';
import { call } from '../../test/helpers/core.ts';
import { probeFile } from '../engine/probe/probe.ts';
import { type Core, createCore } from './core.ts';
import { hostPlatform } from './platform.ts';

let root: string;
let core: Core;
const events: ApiEvent[] = [];

beforeAll(async () => {
  root = mkdtempSync(join(tmpdir(), 'vmp-bulk-'));
  core = createCore({
    dataDir: join(root, 'data'),
    defaultOutputDir: join(root, 'out'),
    platform: hostPlatform({ PATH: '' }, 'linux'),
  });
  core.queue.pause(); // nothing renders: the job stays queued
  core.subscribe((e) => events.push(e));
});

afterAll(async () => {
  await core?.close();
  rmSync(root, { recursive: true, force: true });
});

/** A project of 3 groups × 4 analysed clips and a queued job of its 64 outputs. */
async function queuedJob(): Promise<{ projectId: string; jobId: string }> {
  const file = await makeClip(join(root, 'media'), 'clip', { duration: 0.5 });
  const info = await probeFile(file);
  const p = await call(core, 'projects.create', { name: 'Bulk' });
  const detail = await call(core, 'projects.get', { projectId: p.id });
  for (const [g, group] of detail.groups.entries()) {
    const clipIds = [0, 1, 2, 3].map(
      (k) =>
        core.store.clips.insert(p.id, {
          path: join(root, `${g}-${k}.mp4`),
          name: `${g}-${k}.mp4`,
          hash: `h-${g}-${k}`,
          info,
          status: 'ok',
        }).id,
    );
    await call(core, 'groups.setClips', { groupId: group.id, clipIds });
  }
  await call(core, 'projects.update', { projectId: p.id, settings: { count: 64 } });
  const job = await call(core, 'jobs.start', { projectId: p.id });
  return { projectId: p.id, jobId: job.id };
}

const statuses = (jobId: string) => new Set(core.store.outputs.list({ jobId, limit: 1000 }).items.map((o) => o.status));

describe('cancel, retry and delete of a whole job', () => {
  it('change every output with one statement and one outputs.changed event, not one event per output', async () => {
    const { projectId, jobId } = await queuedJob();

    events.length = 0;
    expect(await call(core, 'jobs.cancel', { jobId })).toMatchObject({ status: 'cancelled', cancelled: 64 });
    expect(statuses(jobId)).toEqual(new Set(['cancelled']));
    expect(events.filter((e) => e.type === 'output.updated')).toHaveLength(0);
    expect(events.filter((e) => e.type === 'outputs.changed')).toEqual([{ type: 'outputs.changed', jobId }]);

    core.store.opened.sqlite
      .prepare("update outputs set status = 'failed', error = 'boom', attempts = 3 where job_id = ?")
      .run(jobId);
    events.length = 0;
    expect(await call(core, 'jobs.retryFailed', { jobId })).toMatchObject({ status: 'paused', failed: 0 });
    const outputs = core.store.outputs.list({ jobId, limit: 1000 }).items;
    expect(outputs.every((o) => o.status === 'pending' && o.attempts === 0 && o.error === null)).toBe(true);
    expect(events.filter((e) => e.type === 'output.updated')).toHaveLength(0);
    expect(events.filter((e) => e.type === 'outputs.changed')).toEqual([{ type: 'outputs.changed', jobId }]);

    events.length = 0;
    await call(core, 'projects.delete', { projectId });
    expect(core.store.outputs.list({ jobId }).total).toBe(0);
    expect(events.filter((e) => e.type === 'output.updated')).toHaveLength(0);
  }, 60_000);
});
