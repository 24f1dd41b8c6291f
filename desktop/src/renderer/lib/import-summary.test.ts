import type { Clip, ImportResult } from '@vmp/shared/api';
import { describe, expect, it } from 'vitest';
import { testClip } from '../stores/fixtures.testing.ts';
import { importSummary } from './import-summary.ts';

const result = (clips: Clip[], skipped: ImportResult['skipped'] = []): ImportResult => ({ clips, skipped });
// What the core reports when talk.srt beside talk.mp4 had a cue past the clip's end (engine/text/cues.ts wording).
const cutCue = {
  path: '/media/talk.srt',
  reason: 'talk.srt: the cue at 0:00.600 ("Long") runs past the clip\'s end (0:01.000); it is cut there.',
};

describe('importSummary', () => {
  it('counts the clips and lists files that were skipped with why', () => {
    const summary = importSummary(
      result([testClip('a'), testClip('b')], [{ path: '/media/notes.txt', reason: 'not a video file' }]),
    );
    expect(summary.success).toBe('Imported 2 clips.');
    expect(summary.warnings).toEqual(['Skipped 1 file — notes.txt: not a video file']);
  });

  it('shows caption notes from a clip.srt beside a clip as captions, not as a skipped file', () => {
    const summary = importSummary(result([testClip('talk')], [cutCue]));
    expect(summary.success).toBe('Imported 1 clip.');
    expect(summary.warnings).toEqual([`Captions: ${cutCue.reason}`]);
  });

  it('keeps skipped files and caption notes apart, and shortens long lists', () => {
    const notes = [1, 2, 3, 4].map((n) => ({ path: `/media/c${n}.vtt`, reason: `c${n}.vtt: cue ${n} left out.` }));
    const summary = importSummary(result([], [...notes, { path: '/media/x.mov', reason: 'duplicate' }]));
    expect(summary.success).toBeNull();
    expect(summary.warnings).toEqual([
      'Captions: c1.vtt: cue 1 left out. c2.vtt: cue 2 left out. c3.vtt: cue 3 left out. (and 1 more)',
      'Skipped 1 file — x.mov: duplicate',
    ]);
  });
});
