import type { Output, ProjectDetail } from '@vmp/shared/api';
import { beforeEach, describe, expect, it } from 'vitest';
import { dispatchEvent } from './events.ts';
import { testClip, testJob, testOutput } from './fixtures.testing.ts';
import { useJobs } from './jobs.ts';
import { useToasts } from './toasts.ts';
import { useWorkspace } from './workspace.ts';

const job = testJob({
  id: 'j1',
  projectId: 'p1',
  total: 2,
  completed: 1,
  progress: 0.5,
  etaSeconds: 3,
  createdAt: 1,
});
const output = (index: number, patch: Partial<Output> = {}): Output =>
  testOutput(index, { jobId: 'j1', projectId: 'p1', clipIds: ['c1'], ...patch });
const clip = testClip('c1', { projectId: 'p1', path: '/clips/a.mp4', name: 'a.mp4', status: 'analysing' });

beforeEach(() => {
  useJobs.setState({
    projectId: 'p1',
    jobs: [],
    queue: null,
    selectedJobId: 'j1',
    outputs: { jobId: 'j1', total: 2, pages: { 0: [output(0), output(1)] } },
  });
  useToasts.setState({ toasts: [] });
  useWorkspace.setState({
    projectId: 'p1',
    detail: { project: { id: 'p1' }, clips: [clip], groups: [], rules: [] } as unknown as ProjectDetail,
  });
});

describe('pushed events', () => {
  it('update jobs of the open project only', () => {
    dispatchEvent({ type: 'job.updated', job });
    dispatchEvent({ type: 'job.updated', job: { ...job, id: 'other', projectId: 'p2' } });
    expect(useJobs.getState().jobs.map((j) => j.id)).toEqual(['j1']);
    dispatchEvent({ type: 'job.updated', job: { ...job, completed: 2, progress: 1, status: 'completed' } });
    expect(useJobs.getState().jobs[0]).toMatchObject({ progress: 1, status: 'completed' });
  });

  it('patch loaded outputs in place', () => {
    dispatchEvent({ type: 'output.updated', output: output(1, { status: 'processing', progress: 0.4 }) });
    expect(useJobs.getState().outputs?.pages[0]?.[1]).toMatchObject({ status: 'processing', progress: 0.4 });
  });

  it('set the queue, update clips, and show notices as toasts', () => {
    dispatchEvent({ type: 'queue.updated', queue: { paused: true, running: 0, pending: 3, concurrency: 2 } });
    expect(useJobs.getState().queue?.paused).toBe(true);
    dispatchEvent({ type: 'clip.updated', clip: { ...clip, status: 'ok' } });
    expect(useWorkspace.getState().detail?.clips[0]?.status).toBe('ok');
    dispatchEvent({ type: 'notice', level: 'error', message: 'Disk full while writing out.mp4' });
    expect(useToasts.getState().toasts[0]).toMatchObject({ kind: 'error', message: 'Disk full while writing out.mp4' });
  });
});
