import type { Clip, Job, Output } from '@vmp/shared/api';
import { RenderSettings } from '@vmp/shared/media';

// Contract-shaped records for store tests: every field filled, tests patch what they look at.

export function testJob(patch: Partial<Job> = {}): Job {
  return {
    id: 'j',
    projectId: 'p',
    status: 'running',
    settings: RenderSettings.parse({}),
    seed: 1,
    outputDir: '/out',
    total: 4,
    completed: 0,
    failed: 0,
    cancelled: 0,
    progress: 0,
    etaSeconds: null,
    createdAt: 0,
    finishedAt: null,
    ...patch,
  };
}

export function testOutput(index: number, patch: Partial<Output> = {}): Output {
  return {
    id: `o${index}`,
    jobId: 'j',
    projectId: 'p',
    index,
    clipIds: ['a'],
    status: 'pending',
    attempts: 0,
    error: null,
    progress: 0,
    path: null,
    duration: null,
    updatedAt: 0,
    ...patch,
  };
}

/** A clip named after its id: `a` is /clips/a.mp4. */
export function testClip(id: string, patch: Partial<Clip> = {}): Clip {
  return {
    id,
    projectId: 'p',
    path: `/clips/${id}.mp4`,
    name: `${id}.mp4`,
    hash: null,
    size: 1,
    info: null,
    problems: [],
    status: 'ok',
    hasThumbnail: false,
    addedAt: 0,
    ...patch,
  };
}
