import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { locatePair, locateTool } from './locate.ts';

const root = mkdtempSync(join(tmpdir(), 'vmp-locate-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

/** A folder holding executable stand-ins named like the tools (only their location is looked at). */
function folder(name: string, tools: string[]): string {
  const dir = join(root, name);
  mkdirSync(dir);
  for (const tool of tools) writeFileSync(join(dir, tool), '#!/bin/sh\n', { mode: 0o755 });
  return dir;
}

describe('locatePair', () => {
  const both = folder('both', ['ffmpeg', 'ffprobe']);
  const ffmpegOnly = folder('ffmpeg-only', ['ffmpeg']);
  const probes = folder('probes', ['ffprobe']);

  it('takes ffprobe from the folder ffmpeg was found in, so both come from one FFmpeg build', () => {
    // ffprobe-static is installed here and would come first for ffprobe looked up on its own.
    expect(locateTool('ffprobe', { env: { PATH: both } })).not.toBe(join(both, 'ffprobe'));
    expect(locatePair({ env: { PATH: both } })).toEqual({
      ffmpeg: join(both, 'ffmpeg'),
      ffprobe: join(both, 'ffprobe'),
    });
  });

  it("looks ffprobe up on its own where ffmpeg's folder has none", () => {
    const env = { PATH: [ffmpegOnly, probes].join(delimiter) };
    expect(locatePair({ env })).toEqual({
      ffmpeg: join(ffmpegOnly, 'ffmpeg'),
      ffprobe: locateTool('ffprobe', { env }),
    });
  });

  it('keeps an explicit FFPROBE_PATH', () => {
    const env = { PATH: both, FFPROBE_PATH: join(probes, 'ffprobe') };
    expect(locatePair({ env }).ffprobe).toBe(join(probes, 'ffprobe'));
  });
});
