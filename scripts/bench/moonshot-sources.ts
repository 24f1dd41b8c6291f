// The moonshot project for `npm run bench -- --moonshot`: a `vmp mix` folder of three groups (hooks with captions
// and two headlines, bodies, calls to action), 1080×1920 sources of 3-4 s with audio, generated once with lavfi.
import { existsSync } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { makeClip } from '../../desktop/test/fixtures/media.ts';

export interface MoonshotShape {
  hooks: number;
  headlines: number;
  bodies: number;
  ctas: number;
  /** Outputs asked for (`--count`). */
  count: number;
}

/**
 * Scale 1 is the issue's job: 10 hooks × 2 headlines × 10 bodies × 5 CTAs = 1,000 outputs from 25 clips and 35
 * distinct (clip, text) intermediates. A smaller scale keeps the groups' proportions (hooks and bodies shrink by
 * √scale) and asks for round(1000 × scale) of the combinations.
 */
export function moonshotShape(scale: number): MoonshotShape {
  if (!(scale > 0 && scale <= 1)) throw new Error(`--scale must be in (0, 1] (got ${scale})`);
  const side = Math.min(10, Math.ceil(10 * Math.sqrt(scale)));
  return { hooks: side, headlines: 2, bodies: side, ctas: 5, count: Math.max(1, Math.round(1000 * scale)) };
}

const DURATIONS = [3, 3.5, 4, 3.25, 3.75];

const SRT = `1
00:00:00,200 --> 00:00:01,500
A caption long enough to wrap onto a second line

2
00:00:01,600 --> 00:00:03,000
And a second one
`;

/** Writes the folder (sources reused between runs: they are the input, not the cache); returns its path. */
export async function makeMoonshotFolder(root: string, shape: MoonshotShape): Promise<string> {
  const folder = join(root, `project-${shape.hooks}x${shape.bodies}x${shape.ctas}`);
  const groups: Array<[string, string, number]> = [
    ['1-hooks', 'hook', shape.hooks],
    ['2-bodies', 'body', shape.bodies],
    ['3-ctas', 'cta', shape.ctas],
  ];
  let n = 0;
  for (const [dir, prefix, count] of groups) {
    const groupDir = join(folder, dir);
    await mkdir(groupDir, { recursive: true });
    for (let i = 0; i < count; i++) {
      const name = `${prefix}-${String(i + 1).padStart(2, '0')}`;
      const spec = {
        width: 1080,
        height: 1920,
        fps: 30,
        duration: DURATIONS[n % DURATIONS.length]!,
        audio: { frequency: 220 + 40 * n },
      };
      n++;
      if (!existsSync(join(groupDir, `${name}.mp4`))) await makeClip(groupDir, name, spec);
      if (prefix === 'hook') await writeFile(join(groupDir, `${name}.srt`), SRT);
    }
  }
  const headlines = ['Stop scrolling: this changes everything', 'The one trick nobody told you about'];
  await writeFile(join(folder, '1-hooks', 'headlines.txt'), `${headlines.slice(0, shape.headlines).join('\n')}\n`);
  return folder;
}
