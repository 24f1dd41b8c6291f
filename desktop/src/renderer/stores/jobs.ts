import type { Job, Output, QueueState } from '@vmp/shared/api';
import { create } from 'zustand';
import { api } from '../api/client.ts';
import { ApiError } from '../api/errors.ts';
import { useLicensing } from './licensing.ts';
import { applyOutput, OUTPUT_PAGE, type OutputPages, upsertJob } from './reducers.ts';
import { attempt, toast } from './toasts.ts';

interface JobsState {
  projectId: string | null;
  jobs: Job[];
  queue: QueueState | null;
  /** The job whose outputs the gallery shows; defaults to the newest. */
  selectedJobId: string | null;
  outputs: OutputPages | null;
  load(projectId: string): Promise<void>;
  clear(): void;
  start(): Promise<Job | undefined>;
  cancel(jobId: string): Promise<void>;
  retry(jobId: string): Promise<void>;
  setPaused(paused: boolean): Promise<void>;
  loadQueue(): Promise<void>;
  selectJob(jobId: string | null): Promise<void>;
  ensurePages(pages: number[]): void;
  cancelOutput(outputId: string): Promise<void>;
  retryOutput(outputId: string): Promise<void>;
  reveal(outputId: string): Promise<void>;
  onJob(job: Job): void;
  onOutput(output: Output): void;
  /** Many outputs of a job changed at once: loaded pages of it are fetched again. */
  onOutputsChanged(jobId: string): void;
  onQueue(queue: QueueState): void;
}

export const useJobs = create<JobsState>((set, get) => {
  const inFlight = new Set<string>();
  let generation = 0;

  const fetchPage = async (jobId: string, page: number) => {
    const key = `${jobId}:${page}`;
    if (inFlight.has(key)) return;
    inFlight.add(key);
    const gen = generation;
    try {
      const { items, total } = await api().call('outputs.list', {
        jobId,
        offset: page * OUTPUT_PAGE,
        limit: OUTPUT_PAGE,
      });
      if (gen !== generation) return;
      set((s) =>
        s.outputs?.jobId === jobId
          ? { outputs: { ...s.outputs, total, pages: { ...s.outputs.pages, [page]: items } } }
          : s,
      );
    } catch (error) {
      toast.error(error);
    } finally {
      inFlight.delete(key);
    }
  };

  return {
    projectId: null,
    jobs: [],
    queue: null,
    selectedJobId: null,
    outputs: null,

    async load(projectId) {
      if (get().projectId !== projectId) {
        generation++;
        set({ projectId, jobs: [], selectedJobId: null, outputs: null });
      }
      const [jobs] = await Promise.all([attempt(() => api().call('jobs.list', { projectId })), get().loadQueue()]);
      if (!jobs || get().projectId !== projectId) return;
      set({ jobs });
      const selected = get().selectedJobId;
      await get().selectJob(selected && jobs.some((j) => j.id === selected) ? selected : (jobs[0]?.id ?? null));
    },
    clear() {
      generation++;
      set({ projectId: null, jobs: [], selectedJobId: null, outputs: null });
    },
    async start() {
      const projectId = get().projectId;
      if (!projectId) return undefined;
      let job: Job;
      try {
        job = await api().call('jobs.start', { projectId });
      } catch (error) {
        // Not enough credits: the dialog offers "Render N" and "Buy credits" instead of a bare error.
        const details = error instanceof ApiError ? (error.details as { needed?: number; available?: number }) : null;
        if (error instanceof ApiError && error.code === 'INSUFFICIENT_CREDITS' && details?.needed !== undefined) {
          useLicensing
            .getState()
            .setShortfall({ projectId, needed: details.needed, available: details.available ?? 0 });
        } else toast.error(error);
        return undefined;
      }
      set((s) => ({ jobs: upsertJob(s.jobs, job) }));
      await get().selectJob(job.id);
      toast.success(`Queued ${job.total} output${job.total === 1 ? '' : 's'}.`);
      return job;
    },
    async cancel(jobId) {
      const job = await attempt(() => api().call('jobs.cancel', { jobId }));
      if (job) get().onJob(job);
    },
    async retry(jobId) {
      const job = await attempt(() => api().call('jobs.retryFailed', { jobId }));
      if (job) {
        get().onJob(job);
        if (get().selectedJobId === jobId) await get().selectJob(jobId);
      }
    },
    async setPaused(paused) {
      const queue = await attempt(() => api().call(paused ? 'queue.pause' : 'queue.resume', {}));
      if (queue) set({ queue });
    },
    async loadQueue() {
      const queue = await attempt(() => api().call('queue.state', {}));
      if (queue) set({ queue });
    },
    /** Resets the gallery to the job's first page; later pages load as they scroll into view. */
    async selectJob(jobId) {
      generation++;
      inFlight.clear();
      set({
        selectedJobId: jobId,
        outputs: jobId ? { jobId, total: get().jobs.find((j) => j.id === jobId)?.total ?? 0, pages: {} } : null,
      });
      if (jobId) await fetchPage(jobId, 0);
    },
    ensurePages(pages) {
      const outputs = get().outputs;
      if (!outputs) return;
      for (const page of pages) if (!outputs.pages[page]) void fetchPage(outputs.jobId, page);
    },
    async cancelOutput(outputId) {
      const output = await attempt(() => api().call('outputs.cancel', { outputId }));
      if (output) get().onOutput(output);
    },
    async retryOutput(outputId) {
      const output = await attempt(() => api().call('outputs.retry', { outputId }));
      if (output) get().onOutput(output);
    },
    async reveal(outputId) {
      await attempt(() => api().call('outputs.reveal', { outputId }));
    },
    onJob(job) {
      if (job.projectId !== get().projectId) return;
      const known = get().jobs.some((j) => j.id === job.id);
      set((s) => ({
        jobs: upsertJob(s.jobs, job),
        outputs:
          s.outputs?.jobId === job.id && s.outputs.total !== job.total ? { ...s.outputs, total: job.total } : s.outputs,
      }));
      // A job started elsewhere (another window, the CLI) becomes the shown one if nothing is.
      if (!known && !get().selectedJobId) void get().selectJob(job.id);
    },
    onOutput(output) {
      set((s) => ({ outputs: applyOutput(s.outputs, output) }));
    },
    onOutputsChanged(jobId) {
      const outputs = get().outputs;
      if (outputs?.jobId !== jobId) return;
      for (const page of Object.keys(outputs.pages)) void fetchPage(jobId, Number(page));
    },
    onQueue: (queue) => set({ queue }),
  };
});
