import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { RenderSettings } from '@vmp/shared';
import { afterAll, describe, expect, it } from 'vitest';
import { Store } from './store.ts';

const dir = mkdtempSync(join(tmpdir(), 'vmp-jobs-plan-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe("a job's plan", () => {
  it('is left out of the row a refresh reads, and read once by withPlan and kept', () => {
    const store = Store.open(dir);
    try {
      const settings = RenderSettings.parse({});
      const project = store.projects.create({ name: 'Big', mode: 'auto', outputDir: '/tmp/out', settings, groups: [] });
      // Every output's codes: megabytes on a 10,000-output job.
      const codes = Object.fromEntries(Array.from({ length: 2000 }, (_, i) => [i, { adName: `Big_H${i}-B1-C1` }]));
      const plan = { projectName: 'Big', codes };
      const id = store.jobs.create({
        projectId: project.id,
        settings,
        seed: 1,
        plan,
        outputDir: '/tmp/out',
        outputs: [{ index: 0, clipIds: ['a'], path: '/tmp/out/a.mp4', duration: 1 }],
      });
      expect('plan' in store.jobs.row(id)).toBe(false);
      const first = store.jobs.withPlan(id);
      expect(first.plan).toEqual(plan);
      expect(first).toMatchObject(store.jobs.row(id));
      // Parsed once: the second read gives the same object.
      expect(store.jobs.withPlan(id).plan).toBe(first.plan);
    } finally {
      store.close();
    }
  });
});
