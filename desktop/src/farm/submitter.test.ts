import { randomBytes } from 'node:crypto';
import { getEventListeners } from 'node:events';
import { RenderSettings } from '@vmp/shared';
import { afterAll, describe, expect, it } from 'vitest';
import { dropPrefix, testFarmEnv } from '../../test/helpers/farm.ts';
import { CancelledError } from '../engine/errors.ts';
import { createFarmRenderer } from './submitter.ts';

const REDIS = process.env.VMP_TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';
const prefix = `vmptest-sub-${randomBytes(4).toString('hex')}`;
afterAll(() => dropPrefix(REDIS, prefix));

// `vmp mix --farm` printed "MaxListenersExceededWarning: … 11 abort listeners" mid-run: its wait loop added one
// listener to the run's signal every second and removed it only when the signal fired.
describe('farm submitter', () => {
  it('keeps no abort listener per poll while it waits for the farm (defect 2)', async () => {
    const renderer = createFarmRenderer({ url: REDIS, env: { ...process.env, ...testFarmEnv(prefix) } });
    const controller = new AbortController();
    const info = { container: 'mov', duration: 1, size: 1, video: null, audio: null };
    const run = renderer.renderBatch(
      [
        {
          projectName: 'p',
          combination: { index: 0, clipIds: ['a'] },
          sources: [{ id: 'a', path: '/nowhere/a.mp4', hash: 'h', info }],
          settings: RenderSettings.parse({}),
          outDir: '/nowhere/out',
          fileName: 'a.mp4',
        },
      ],
      { signal: controller.signal },
    );
    // No worker takes the batch: the submitter polls once a second.
    await new Promise((r) => setTimeout(r, 4500));
    expect(getEventListeners(controller.signal, 'abort').length).toBeLessThanOrEqual(1);
    controller.abort();
    await expect(run).rejects.toBeInstanceOf(CancelledError);
    expect(getEventListeners(controller.signal, 'abort')).toHaveLength(0);
  }, 30_000);
});
