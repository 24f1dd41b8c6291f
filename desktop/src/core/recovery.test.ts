import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { RenderSettings } from '@vmp/shared';
import type { ApiEvent } from '@vmp/shared/api';
import { afterAll, describe, expect, it } from 'vitest';
import { makeClip } from '../../test/fixtures/media.ts';
import { EventLog } from '../../test/helpers/events.ts';
import { Store } from '../store/store.ts';
import { createCore } from './core.ts';
import { hostPlatform } from './platform.ts';

const root = mkdtempSync(join(tmpdir(), 'vmp-recovery-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

describe('core start', () => {
  it('analyses again the clips an interrupted import left "analysing"', async () => {
    const dataDir = join(root, 'data');
    const file = await makeClip(join(root, 'media'), 'late', { duration: 0.5 });
    const store = Store.open(dataDir);
    const project = store.projects.create({
      name: 'P',
      mode: 'auto',
      outputDir: root,
      settings: RenderSettings.parse({}),
    });
    const clip = store.clips.insert(project.id, { path: file, name: 'late.mp4', status: 'analysing' });
    store.close();

    const core = createCore({ dataDir, platform: hostPlatform({}, 'linux') });
    const log = new EventLog();
    core.subscribe(log.push);
    const updated = await log.some<Extract<ApiEvent, { type: 'clip.updated' }>>(
      (e) => e.type === 'clip.updated' && e.clip.id === clip.id,
    );
    expect(updated.clip).toMatchObject({ status: 'ok', hasThumbnail: true, info: { video: { width: 320 } } });
    await core.close();
  });
});
