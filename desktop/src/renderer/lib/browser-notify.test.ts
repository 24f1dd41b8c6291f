import type { Job } from '@vmp/shared/api';
import { expect, it } from 'vitest';
import { createBrowserNotifier } from './browser-notify.ts';

function job(status: Job['status'], id = 'j1'): Job {
  return {
    id,
    projectId: 'p',
    status,
    settings: { format: '9:16', fit: 'cover', strategy: 'fast', seed: 1, clipsPerOutput: 3 } as Job['settings'],
    seed: 1,
    outputDir: '/out/P',
    total: 2,
    completed: status === 'running' ? 0 : 2,
    failed: 0,
    cancelled: 0,
    progress: 0,
    etaSeconds: null,
    createdAt: 1_000,
    finishedAt: status === 'running' ? null : 61_000,
  };
}

it('asks permission once when a job starts and shows one notification when it ends', async () => {
  const shown: Array<{ title: string; body?: string }> = [];
  let asked = 0;
  class FakeNotification {
    static permission: 'default' | 'denied' | 'granted' = 'default';
    static async requestPermission() {
      asked++;
      FakeNotification.permission = 'granted';
      return 'granted' as const;
    }
    constructor(title: string, options?: { body?: string }) {
      shown.push({ title, body: options?.body });
    }
  }
  const store = new Map<string, string>();
  const storage = { getItem: (k: string) => store.get(k) ?? null, setItem: (k: string, v: string) => store.set(k, v) };
  const n = createBrowserNotifier(FakeNotification, storage);
  n.onJob(job('completed', 'old'), 'P');
  n.onJob(job('running'), 'P');
  n.onJob(job('running'), 'P');
  await Promise.resolve();
  n.onJob(job('completed'), 'P');
  n.onJob(job('completed'), 'P');
  expect(asked).toBe(1);
  expect(shown).toEqual([
    { title: 'P: render finished', body: 'P: render finished. 2 videos made; 2 credits; 1 min 0 s. Outputs: /out/P' },
  ]);
  // A second tab (same storage) does not ask again.
  FakeNotification.permission = 'default';
  createBrowserNotifier(FakeNotification, storage).onJob(job('running', 'j2'), 'P');
  expect(asked).toBe(1);
});
