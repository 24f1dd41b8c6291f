import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { RenderSettings } from '@vmp/shared';
import { afterAll, describe, expect, it } from 'vitest';
import { Store } from './store.ts';

const dir = mkdtempSync(join(tmpdir(), 'vmp-clip-analyses-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('saving a batch of analyses', () => {
  it('stores every field as a single update would, skips a clip removed meanwhile, and reads back the same', () => {
    const store = Store.open(dir);
    try {
      const project = store.projects.create({
        name: 'Batch',
        mode: 'auto',
        outputDir: '/tmp/out',
        settings: RenderSettings.parse({}),
        groups: [],
      });
      const [a, b, gone] = store.clips.insertAnalysing(project.id, [
        { path: '/m/a.mp4', name: 'a.mp4', size: 1 },
        { path: '/m/b.mp4', name: 'b.mp4', size: 2 },
        { path: '/m/c.mp4', name: 'c.mp4', size: 3 },
      ]);
      store.clips.update(b!.id, { captions: [{ start: 0, end: 1, text: 'Hi' }] });
      store.clips.remove(project.id, [gone!.id]);
      const info = {
        container: 'mov,mp4,m4a,3gp,3g2,mj2',
        duration: 2.5,
        size: 10,
        video: {
          ...{ codec: 'h264', codedWidth: 320, codedHeight: 240, width: 320, height: 240, rotation: 0, sar: '1:1' },
          ...{ fps: 30, vfr: false, pixFmt: 'yuv420p' },
        },
        audio: null,
      };
      const patch = (path: string, problems: { code: 'UNDECODABLE'; message: string }[]) => ({
        path,
        name: path.split('/').pop()!,
        hash: `hash-${path}`,
        size: 99,
        mtimeMs: 1234.5,
        info,
        problems,
        status: problems.length ? ('problem' as const) : ('ok' as const),
        thumbnail: problems.length ? null : `/thumbs/${path.split('/').pop()}.jpg`,
      });
      const saved = store.clips.saveAnalyses([
        { id: a!.id, patch: patch('/m/a.mp4', []) },
        { id: b!.id, patch: patch('/m/b.mp4', [{ code: 'UNDECODABLE', message: 'cut short' }]) },
        { id: gone!.id, patch: patch('/m/c.mp4', []) },
      ]);
      expect(saved.map((c) => c.id)).toEqual([a!.id, b!.id]);
      expect(saved).toEqual([store.clips.get(a!.id), store.clips.get(b!.id)]);
      expect(saved[0]).toMatchObject({ status: 'ok', hash: 'hash-/m/a.mp4', size: 99, hasThumbnail: true });
      expect(saved[0]!.info?.video?.width).toBe(320);
      expect(saved[1]).toMatchObject({ status: 'problem', problems: [{ code: 'UNDECODABLE' }], hasThumbnail: false });
      expect(saved[1]!.captions).toEqual([{ start: 0, end: 1, text: 'Hi' }]);
      expect(store.clips.mtime(a!.id)).toBe(1234.5);
      expect(store.clips.thumbnail(a!.id)).toBe('/thumbs/a.mp4.jpg');
    } finally {
      store.close();
    }
  });
});
