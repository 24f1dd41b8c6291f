import { describe, expect, it } from 'vitest';
import { createProgressReporter, progressLine } from './progress.ts';

describe('CLI progress', () => {
  it('says "estimating…" until the core has an ETA, then the ETA (defect 4)', () => {
    const state = { label: 'Rendering', fraction: 0.2, done: 0, total: 6, etaSeconds: null, estimating: true };
    expect(progressLine(state)).toContain('Rendering 0/6 ETA estimating…');
    expect(progressLine({ ...state, done: 1, etaSeconds: 75, estimating: false })).toContain('ETA 1m 15s');
    const lines: string[] = [];
    const stream = { write: (s: string) => lines.push(s) } as unknown as NodeJS.WritableStream;
    const progress = createProgressReporter(stream);
    progress.update(state);
    progress.update({ ...state, done: 1, etaSeconds: 40, estimating: false });
    expect(lines).toEqual(['Rendering 0/6 (20%, ETA estimating…)\n', 'Rendering 1/6 (20%, ETA 40s)\n']);
  });
});
