import type { Job, ProjectDetail } from '@vmp/shared/api';
import { describe, expect, it } from 'vitest';
import { testClip, testJob, testOutput } from './fixtures.testing.ts';
import { applyClip, applyOutput, clipProblemText, outputAt, pagesFor, upsertJob } from './reducers.ts';

const job = (id: string, createdAt: number, progress = 0): Job => testJob({ id, createdAt, progress });
const clip = testClip;
const output = testOutput;

describe('upsertJob', () => {
  it('replaces in place and inserts newest first', () => {
    const jobs = [job('b', 2), job('a', 1)];
    expect(upsertJob(jobs, job('a', 1, 0.5)).map((j) => [j.id, j.progress])).toEqual([
      ['b', 0],
      ['a', 0.5],
    ]);
    expect(upsertJob(jobs, job('c', 3)).map((j) => j.id)).toEqual(['c', 'b', 'a']);
  });
});

describe('applyClip', () => {
  const detail = { project: { id: 'p' }, clips: [clip('a')], groups: [], rules: [] } as unknown as ProjectDetail;
  it('replaces, appends, and ignores other projects', () => {
    expect(applyClip(detail, clip('a', { status: 'missing' }))?.clips[0]?.status).toBe('missing');
    expect(applyClip(detail, clip('b'))?.clips.map((c) => c.id)).toEqual(['a', 'b']);
    expect(applyClip(detail, clip('c', { projectId: 'other' }))).toBe(detail);
    expect(applyClip(null, clip('a'))).toBeNull();
  });
});

describe('output pages', () => {
  const state = { jobId: 'j', total: 5, pages: { 0: [output(0), output(1)], 2: [output(4)] } };
  it('finds outputs by index across pages', () => {
    expect(outputAt(state, 1, 2)?.id).toBe('o1');
    expect(outputAt(state, 4, 2)?.id).toBe('o4');
    expect(outputAt(state, 2, 2)).toBeUndefined();
  });
  it('patches an event into its loaded page only', () => {
    const next = applyOutput(state, output(1, { status: 'completed', progress: 1 }), 2);
    expect(outputAt(next!, 1, 2)?.status).toBe('completed');
    expect(applyOutput(state, output(2, { status: 'completed' }), 2)).toBe(state);
    expect(applyOutput(state, { ...output(1), jobId: 'other' }, 2)).toBe(state);
  });
  it('lists the pages a visible range needs', () => {
    expect(pagesFor(0, 9, 10_000, 200)).toEqual([0]);
    expect(pagesFor(195, 410, 10_000, 200)).toEqual([0, 1, 2]);
    expect(pagesFor(9990, 10_020, 10_000, 200)).toEqual([49]);
    expect(pagesFor(0, 5, 0, 200)).toEqual([]);
  });
});

describe('clipProblemText', () => {
  it('explains missing clips and joins problems', () => {
    expect(clipProblemText(clip('a'))).toBeNull();
    expect(clipProblemText(clip('a', { status: 'missing' }))).toMatch(/no longer at \/clips\/a\.mp4/);
    expect(
      clipProblemText(
        clip('a', { status: 'problem', problems: [{ code: 'TOO_SHORT', message: 'a.mp4 is shorter than 0.5 s.' }] }),
      ),
    ).toBe('a.mp4 is shorter than 0.5 s.');
  });
});
