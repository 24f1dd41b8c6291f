import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { RenderSettings } from '@vmp/shared';
import { afterAll, describe, expect, it } from 'vitest';
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
});
