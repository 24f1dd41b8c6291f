import { describe, expect, it } from 'vitest';
import { FfmpegFailedError } from '../errors.ts';
import { isDiskFull } from './disk-full.ts';
import { RenderFailedError } from './errors.ts';

describe('isDiskFull', () => {
  it('finds "no space left" in FFmpeg stderr, fs error codes and causes of causes', () => {
    const ffmpeg = new FfmpegFailedError(
      'Rendering output 2',
      'ffmpeg ...',
      'Error closing file x.part: No space left on device',
      1,
    );
    expect(isDiskFull(ffmpeg)).toBe(true);
    expect(isDiskFull(new RenderFailedError('Output 2 failed', { index: 1 }, ffmpeg))).toBe(true);
    const fsError = Object.assign(new Error('ENOSPC: no space left on device, write'), { code: 'ENOSPC' });
    expect(isDiskFull(new Error('wrapped', { cause: fsError }))).toBe(true);
    expect(isDiskFull(Object.assign(new Error('quota'), { code: 'EDQUOT' }))).toBe(true);
  });

  it('is false for other failures', () => {
    expect(
      isDiskFull(new FfmpegFailedError('Rendering', 'ffmpeg ...', 'Invalid data found when processing input', 1)),
    ).toBe(false);
    expect(isDiskFull(new Error('EACCES: permission denied'))).toBe(false);
    expect(isDiskFull(null)).toBe(false);
  });
});
