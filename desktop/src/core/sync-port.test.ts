import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { RenderSettings } from '@vmp/shared';
import { SyncedProjectDoc } from '@vmp/shared/http';
import { afterAll, describe, expect, it } from 'vitest';
import { listCodes } from '../results/project-codes.ts';
import { type CoreContext, createContext } from './context.ts';
import { hostPlatform } from './platform.ts';
import { syncPort } from './sync-port.ts';

const root = mkdtempSync(join(tmpdir(), 'vmp-sync-port-'));
const contexts: CoreContext[] = [];
afterAll(async () => {
  for (const ctx of contexts) await ctx.close();
  rmSync(root, { recursive: true, force: true });
});

function machine(name: string): CoreContext {
  const ctx = createContext({
    dataDir: join(root, name),
    defaultOutputDir: join(root, `${name}-out`),
    platform: hostPlatform({ PATH: '' }, 'linux'),
  });
  contexts.push(ctx);
  return ctx;
}

describe('project sync documents', () => {
  it("carry a group's headlines and a clip's captions to the other machine, and a pull does not wipe them", () => {
    const a = machine('a');
    const b = machine('b');
    const project = a.store.projects.create({
      name: 'Ads',
      mode: 'manual',
      settings: RenderSettings.parse({}),
      outputDir: join(root, 'a-out'),
    });
    const cues = [{ start: 0.2, end: 0.9, text: 'Hello there' }];
    const clip = a.store.clips.insert(project.id, {
      path: join(root, 'hook.mp4'),
      name: 'hook.mp4',
      hash: 'f'.repeat(64),
      size: 10,
      status: 'ok',
      captions: cues,
    });
    const group = a.store.groups.create(project.id, 'Hooks');
    a.store.groups.setClips(group.id, [clip.id]);
    a.store.groups.setHeadlines(group.id, ['Stop scrolling', 'Wait for it']);

    const doc = JSON.parse(JSON.stringify(syncPort(a).exportDoc(project.id)));
    const pulled = syncPort(b).importDoc(null, doc);
    const [bGroup] = b.store.groups.list(pulled);
    expect(bGroup?.headlines).toEqual(['Stop scrolling', 'Wait for it']);
    expect(b.store.clips.list(pulled)[0]?.captions).toEqual(cues);

    // Pulled again over the local project (the sync after a change elsewhere): still there.
    syncPort(b).importDoc(pulled, doc);
    expect(b.store.groups.list(pulled)[0]?.headlines).toEqual(['Stop scrolling', 'Wait for it']);
    expect(b.store.clips.list(pulled)[0]?.captions).toEqual(cues);
  });

  it("carry every code, also a removed clip's, so the other machine never hands one out again", () => {
    const a = machine('codes-a');
    const b = machine('codes-b');
    const project = a.store.projects.create({
      name: 'Codes',
      mode: 'manual',
      settings: RenderSettings.parse({}),
      outputDir: join(root, 'codes-out'),
    });
    // No codes, ads or reports yet: the document has none of those fields (older documents hash the same).
    expect(Object.keys(syncPort(a).exportDoc(project.id)!)).toEqual([
      'schema',
      'name',
      'mode',
      'settings',
      'clips',
      'groups',
      'rules',
      'modifiedAt',
    ]);
    const clips = ['1', '2', '3'].map((n) =>
      a.store.clips.insert(project.id, {
        path: join(root, `hook-${n}.mp4`),
        name: `hook-${n}.mp4`,
        hash: n.repeat(64),
        size: 10,
        status: 'ok',
      }),
    );
    const group = a.store.groups.create(project.id, 'Hooks');
    a.store.groups.setClips(
      group.id,
      clips.map((c) => c.id),
    );
    a.store.groups.setHeadlines(group.id, ['Stop scrolling']);
    expect(listCodes(a.store, project.id).map((c) => c.code)).toEqual(['H1', 'H2', 'H3', 'T1']);
    a.store.clips.remove(project.id, [clips[2]!.id]);

    const doc = JSON.parse(JSON.stringify(syncPort(a).exportDoc(project.id)));
    expect(doc.codes).toEqual([
      { code: 'H1', clip: '1'.repeat(64) },
      { code: 'H2', clip: '2'.repeat(64) },
      { code: 'H3' },
      { code: 'T1', headline: 'Stop scrolling' },
    ]);
    expect(SyncedProjectDoc.safeParse(doc).success).toBe(true);
    // Strict: a field the schema does not know is refused, not dropped.
    expect(SyncedProjectDoc.safeParse({ ...doc, codes: [{ code: 'H1', clip: '1'.repeat(64), x: 1 }] }).success).toBe(
      false,
    );
    expect(SyncedProjectDoc.safeParse({ ...doc, codes: [{ code: 'H-1' }] }).success).toBe(false);

    const pulled = syncPort(b).importDoc(null, doc);
    expect(listCodes(b.store, pulled).map((c) => [c.code, c.label])).toEqual([
      ['H1', 'hook-1.mp4'],
      ['H2', 'hook-2.mp4'],
      ['H3', '(removed clip)'],
      ['T1', 'Stop scrolling'],
    ]);
    // A new clip on the other machine: H4, never the retired H3.
    const added = b.store.clips.insert(pulled, {
      path: join(root, 'hook-4.mp4'),
      name: 'hook-4.mp4',
      hash: '4'.repeat(64),
      size: 10,
      status: 'ok',
    });
    const [bGroup] = b.store.groups.list(pulled);
    b.store.groups.setClips(bGroup!.id, [...bGroup!.clipIds, added.id]);
    expect(listCodes(b.store, pulled).find((c) => c.label === 'hook-4.mp4')?.code).toBe('H4');
    // And back: the first machine takes the other's codes as they are.
    syncPort(a).importDoc(project.id, JSON.parse(JSON.stringify(syncPort(b).exportDoc(pulled))));
    expect(listCodes(a.store, project.id).map((c) => c.code)).toEqual(['H1', 'H2', 'H3', 'H4', 'T1']);
    // A document without codes (from an app before them) takes none away: H5 next, still.
    const { codes: _codes, ...older } = JSON.parse(JSON.stringify(syncPort(a).exportDoc(project.id)));
    syncPort(b).importDoc(pulled, older);
    expect(listCodes(b.store, pulled).map((c) => c.code)).toEqual(['H1', 'H2', 'H3', 'H4', 'T1']);
  });
});
