// @vitest-environment happy-dom

import { cleanup, render, screen } from '@testing-library/react';
import type { PlanPreview, ProjectDetail } from '@vmp/shared/api';
import { afterEach, describe, expect, it } from 'vitest';
import { usePlan } from '../stores/plan.ts';
import { useWorkspace } from '../stores/workspace.ts';
import { PlanPreviewView } from './PlanPreview.tsx';

afterEach(() => {
  cleanup();
  usePlan.setState({ preview: null });
  useWorkspace.setState({ detail: null });
});

describe('plan preview', () => {
  it('shows the headline of each planned output in its row (defect 10)', () => {
    const clip = (id: string) => ({ id, name: `${id}.mp4`, info: { duration: 1 } });
    useWorkspace.setState({
      detail: { project: { id: 'p', mode: 'manual' }, clips: [clip('a'), clip('b')], groups: [], rules: [] },
    } as unknown as { detail: ProjectDetail });
    const preview = {
      possible: '4',
      count: 2,
      totalDuration: 4,
      creditCost: 2,
      seed: 1,
      warnings: [],
      combinations: [
        { index: 0, clipIds: ['a', 'b'], headlines: ['STOP SCROLLING', null] },
        { index: 1, clipIds: ['b', 'a'], headlines: [null, null] },
      ],
    } as unknown as PlanPreview;
    usePlan.setState({ preview, loading: false, error: null });
    render(<PlanPreviewView />);
    const rows = screen.getAllByRole('row').slice(1);
    expect(rows[0]!.textContent).toContain('STOP SCROLLING');
    expect(rows[1]!.textContent).not.toContain('STOP SCROLLING');
  });

  it('counts files on its Render button: combinations × placements, as the credits do', () => {
    useWorkspace.setState({
      detail: { project: { id: 'p', mode: 'manual' }, clips: [], groups: [], rules: [] },
    } as unknown as { detail: ProjectDetail });
    const preview = {
      possible: '4',
      count: 2,
      files: 6,
      totalDuration: 4,
      creditCost: 6,
      seed: 1,
      warnings: ['2 combinations × 3 placements = 6 files.'],
      combinations: [],
    } as unknown as PlanPreview;
    usePlan.setState({ preview, loading: false, error: null });
    render(<PlanPreviewView />);
    expect(screen.getByRole('button', { name: /^Render/ }).textContent).toBe(' Render 6 files');
  });
});
