import type { Clip, Job, Output, ProjectDetail } from '@vmp/shared/api';

/** Jobs newest first, an updated one replaced in place. */
export function upsertJob(jobs: readonly Job[], job: Job): Job[] {
  const i = jobs.findIndex((j) => j.id === job.id);
  if (i === -1) return [job, ...jobs].sort((a, b) => b.createdAt - a.createdAt);
  const next = [...jobs];
  next[i] = job;
  return next;
}

/** A clip event: replace the clip if known, append it if it belongs to this project. */
export function applyClip(detail: ProjectDetail | null, clip: Clip): ProjectDetail | null {
  if (!detail || detail.project.id !== clip.projectId) return detail;
  const i = detail.clips.findIndex((c) => c.id === clip.id);
  const clips = [...detail.clips];
  if (i === -1) clips.push(clip);
  else clips[i] = clip;
  return { ...detail, clips };
}

export const OUTPUT_PAGE = 200;

/** Outputs of one job, fetched page by page as the gallery scrolls. */
export interface OutputPages {
  jobId: string;
  total: number;
  pages: Record<number, Output[]>;
}

export function outputAt(state: OutputPages, index: number, pageSize = OUTPUT_PAGE): Output | undefined {
  return state.pages[Math.floor(index / pageSize)]?.[index % pageSize];
}

/** Patch an output event into the page that holds it; pages not loaded yet will fetch fresh data anyway. */
export function applyOutput(state: OutputPages | null, output: Output, pageSize = OUTPUT_PAGE): OutputPages | null {
  if (!state || state.jobId !== output.jobId) return state;
  const page = Math.floor(output.index / pageSize);
  const items = state.pages[page];
  if (!items) return state;
  const i = items.findIndex((o) => o.id === output.id);
  if (i === -1) return state;
  const next = [...items];
  next[i] = output;
  return { ...state, pages: { ...state.pages, [page]: next } };
}

/** Pages needed to show rows [first, last] of a list of `total` items. */
export function pagesFor(first: number, last: number, total: number, pageSize = OUTPUT_PAGE): number[] {
  if (total <= 0 || last < first) return [];
  const lo = Math.max(0, Math.floor(first / pageSize));
  const hi = Math.min(Math.floor((total - 1) / pageSize), Math.floor(last / pageSize));
  const pages: number[] = [];
  for (let p = lo; p <= hi; p++) pages.push(p);
  return pages;
}

/** Clip problem text for tooltips and inline notes. */
export function clipProblemText(clip: Clip): string | null {
  if (clip.status === 'missing')
    return clip.problems[0]?.message ?? `${clip.name} is no longer at ${clip.path}. Relink it.`;
  if (clip.status === 'changed')
    return clip.problems[0]?.message ?? `${clip.name} changed on disk since import. Relink it.`;
  if (clip.problems.length === 0) return null;
  return clip.problems.map((p) => p.message).join(' ');
}

export function needsRelink(clip: Clip): boolean {
  return clip.status === 'missing' || clip.status === 'changed';
}
