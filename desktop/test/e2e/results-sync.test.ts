import { rm } from 'node:fs/promises';
import { basename, join } from 'node:path';
import type { ResultsView } from '@vmp/shared/api';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Core, createCore } from '../../src/core/core.ts';
import { makeClip } from '../fixtures/media.ts';
import { call } from '../helpers/core.ts';
import { tempDir } from './helpers.ts';
import { customer, freePort, type ServerProcess, startServerProcess } from './server-process.ts';

// Two machines (two data folders) share a project's codes and ad results through the real server (on PGlite):
// the desk sees the laptop's codes and per-component figures without having rendered anything, and an import made
// on the desk comes back to the laptop counted once.
let dir: string;
let server: ServerProcess;
let laptop: Core;
let desk: Core;

function machine(name: string): Core {
  return createCore({
    dataDir: join(dir, name),
    defaultOutputDir: join(dir, `${name}-outputs`),
    licensing: {
      machineId: `m1-e2e-results-sync-${name}`,
      background: false,
      env: {
        VMP_SERVER_URL: server.url,
        VMP_TRUST_SERVER_KEYS: 'dev',
        VMP_SECRET_STORE: 'key-file',
        VMP_KEY_DIR: join(dir, `${name}-keys`),
      },
    },
  });
}

beforeAll(async () => {
  dir = await tempDir('results-sync');
  server = await startServerProcess({ dataDir: join(dir, 'server'), port: await freePort() });
  const user = await customer(server.url, { maxActivations: 2, credits: 100 });
  laptop = machine('laptop');
  desk = machine('desk');
  for (const core of [laptop, desk]) {
    expect((await call(core, 'license.activate', { licenseKey: user.licenseKey })).state).toBe('active');
  }
}, 180_000);

afterAll(async () => {
  await laptop?.close();
  await desk?.close();
  await server?.stop();
  if (dir) await rm(dir, { recursive: true, force: true });
});

const META_HEADER =
  'Reporting starts,Reporting ends,Ad name,Amount spent (USD),Impressions,Link clicks,CTR (link click-through rate),3-second video plays,Results,Cost per result';

/** Codes as people see them: clip (or headline) → code and group; clip ids differ per machine. */
async function codesOf(core: Core, projectId: string) {
  return (await call(core, 'codes.list', { projectId })).map((c) => ({ label: c.label, code: c.code, group: c.group }));
}

/** The per-component figures, in a stable order. */
function figures(view: ResultsView) {
  return [...view.components].sort((a, b) => (a.group + a.code < b.group + b.code ? -1 : 1));
}

describe('results sync between two machines', () => {
  it('carries codes, imports and rendered ads; a second import on the other machine comes back counted once', async () => {
    // Laptop: clips in the three groups, a code renamed by hand, six ads made (queue paused: named, not rendered).
    const project = await call(laptop, 'projects.create', { name: 'Launch' });
    await call(laptop, 'projects.update', { projectId: project.id, mode: 'manual', settings: { count: 6 } });
    const detail = await call(laptop, 'projects.get', { projectId: project.id });
    const colors = ['red', 'orange', 'green', 'teal', 'blue', 'purple'];
    for (const [g, group] of detail.groups.entries()) {
      const paths = [];
      for (const color of colors.slice(g * 2, g * 2 + 2)) {
        paths.push(await makeClip(join(dir, 'laptop-clips'), `clip-${color}`, { color, duration: 1 }));
      }
      await call(laptop, 'clips.import', { projectId: project.id, paths, groupId: group.id });
    }
    const before = await codesOf(laptop, project.id);
    expect(before.map((c) => c.code)).toEqual(['H1', 'H2', 'B1', 'B2', 'C1', 'C2']);
    await call(laptop, 'codes.rename', { projectId: project.id, code: 'H2', to: 'H7' });
    await call(laptop, 'queue.pause', {});
    const job = await call(laptop, 'jobs.start', { projectId: project.id });
    const outputs = (await call(laptop, 'outputs.list', { jobId: job.id, offset: 0, limit: 100 })).items;
    const adNames = outputs.map((o) => basename(o.path!).split('_')[1]!);
    expect(adNames).toHaveLength(6);
    expect(adNames.some((n) => n.startsWith('H7-'))).toBe(true);

    const week1 = [
      META_HEADER,
      ...adNames.map(
        (n, i) =>
          `2026-11-01,2026-11-07,${n},$${10 + i}.00,"${(10_000 + i * 1000).toLocaleString('en-US')}",${100 + i * 20},1%,3000,${i},$1.00`,
      ),
      '2026-11-01,2026-11-07,Someone else’s ad,$5.00,900,3,0.3%,,,',
    ].join('\r\n');
    await call(laptop, 'results.import', { projectId: project.id, file: { name: 'week1.csv', content: week1 } });
    const laptopView = await call(laptop, 'results.get', { projectId: project.id });
    expect(laptopView.unmatched.map((u) => u.adName)).toEqual(['Someone else’s ad']);
    await call(laptop, 'sync.now', {});

    // Desk: same codes, same figures, though it has neither the media nor a single output.
    const status = await call(desk, 'sync.now', {});
    expect(status.rejected).toEqual([]);
    const [copy] = await call(desk, 'projects.list', {});
    expect(await codesOf(desk, copy!.id)).toEqual(await codesOf(laptop, project.id));
    expect((await codesOf(desk, copy!.id)).map((c) => c.code)).toEqual(['H1', 'H7', 'B1', 'B2', 'C1', 'C2']);
    const deskView = await call(desk, 'results.get', { projectId: copy!.id });
    expect(figures(deskView)).toEqual(figures(laptopView));
    expect(deskView.unmatched).toEqual(laptopView.unmatched);
    expect(deskView.ads).toBe(6);
    expect(deskView.imports).toEqual(laptopView.imports);
    // Nothing changed on the desk by pulling: it has nothing to send back.
    expect((await call(desk, 'sync.now', {})).projects).toEqual([
      { projectId: copy!.id, state: 'synced', version: expect.any(Number) },
    ]);

    // Desk: the same week again (a re-export) plus week 2 for the first ad only.
    const week2 = [week1, `2026-11-08,2026-11-14,${adNames[0]},$4.00,"2,000",50,2.5%,600,1,$4.00`].join('\r\n');
    await call(desk, 'results.import', { projectId: copy!.id, file: { name: 'week2.csv', content: week2 } });
    await call(desk, 'sync.now', {});
    await call(laptop, 'sync.now', {});
    const after = await call(laptop, 'results.get', { projectId: project.id });
    expect(after.imports.map((i) => [i.file, i.rows, i.counted])).toEqual([
      ['week1.csv', 7, 0],
      ['week2.csv', 8, 8],
    ]);
    // The first ad's hook: week 1 once, plus week 2 (hand-summed from the rows above).
    const [hook] = adNames[0]!.split('-');
    const sameHook = adNames.flatMap((n, i) => (n.startsWith(`${hook}-`) ? [i] : []));
    const expected = sameHook.reduce((sum, i) => sum + 10_000 + i * 1000, 0) + 2000;
    expect(after.components.find((c) => c.group === 'Hook' && c.code === hook)?.impressions).toBe(expected);
    expect(figures(after)).toEqual(figures(await call(desk, 'results.get', { projectId: copy!.id })));
    expect(await codesOf(laptop, project.id)).toEqual(await codesOf(desk, copy!.id));
  }, 240_000);

  it('a project too big for the server is named in the sync status, and the other projects still sync', async () => {
    const huge = await call(laptop, 'projects.create', { name: 'Huge' });
    const small = await call(laptop, 'projects.create', { name: 'Small' });
    const rows = Array.from(
      { length: 15_000 },
      (_, i) => `2026-11-01,2026-11-07,Someone else's ad number ${i},$1.00,1000,10,1%,300,1,$1.00`,
    );
    await call(laptop, 'results.import', {
      projectId: huge.id,
      file: { name: 'big.csv', content: [META_HEADER, ...rows].join('\n') },
    });
    const status = await call(laptop, 'sync.now', {});
    expect(status.lastError).toMatch(/"Huge" is too big to sync \(1\.\d MB; the server takes 1 MB\)/);
    expect(status.projects.find((p) => p.projectId === small.id)?.state).toBe('synced');
    expect(status.projects.find((p) => p.projectId === huge.id)?.state).toBe('pending');
    // Removing the import makes it small again: it goes.
    const [imp] = (await call(laptop, 'results.get', { projectId: huge.id })).imports;
    await call(laptop, 'results.removeImport', { projectId: huge.id, importId: imp!.id });
    const after = await call(laptop, 'sync.now', {});
    expect(after.lastError).toBeNull();
    expect(after.projects.find((p) => p.projectId === huge.id)?.state).toBe('synced');
  }, 120_000);

  it('the same change made on both machines is no conflict', async () => {
    await call(desk, 'sync.now', {});
    const mine = (await call(laptop, 'projects.list', {})).find((p) => p.name === 'Small')!;
    const theirs = (await call(desk, 'projects.list', {})).find((p) => p.name === 'Small')!;
    await call(laptop, 'projects.update', { projectId: mine.id, name: 'Small (renamed)' });
    await call(desk, 'projects.update', { projectId: theirs.id, name: 'Small (renamed)' });
    await call(laptop, 'sync.now', {});
    const status = await call(desk, 'sync.now', {});
    expect(status.conflicts).toEqual([]);
    expect(status.projects.find((p) => p.projectId === theirs.id)?.state).toBe('synced');
  }, 60_000);
});
