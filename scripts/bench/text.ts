// Cost of burning captions into the normalised intermediates (fast strategy) against a plain normalise, same run.
import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import { RenderSettings } from '@vmp/shared';
import { FfmpegPool } from '../../desktop/src/engine/pool/pool.ts';
import { resolveProfile } from '../../desktop/src/engine/profiles/profile.ts';
import { NormaliseCache } from '../../desktop/src/engine/render/cache.ts';
import type { RenderSource } from '../../desktop/src/engine/render/types.ts';
import { clipTextFor } from '../../desktop/src/engine/text/overlay.ts';
import { measured, ratioLine } from './report.ts';

/** Normalises `sources` twice from cold caches (plain, then with two captions each); returns the ratio lines. */
export async function captionsCost(sources: readonly RenderSource[], work: string): Promise<string[]> {
  const settings = RenderSettings.parse({});
  const profile = resolveProfile(settings);
  const pool = new FfmpegPool({ concurrency: 1 });
  const captions = [
    { start: 0.2, end: 1.5, text: 'A caption long enough to wrap onto a second line' },
    { start: 1.6, end: 3, text: 'And a second one' },
  ];
  const run = async (dir: string, withText: boolean) => {
    await rm(dir, { recursive: true, force: true });
    const cache = new NormaliseCache(dir, (job, o) => pool.run(job, o));
    return measured(() =>
      Promise.all(
        sources.map((s) => cache.get(s, profile, withText ? { text: clipTextFor(captions, null, settings)! } : {})),
      ),
    );
  };
  try {
    const plain = await run(join(work, 'cache-plain'), false);
    const text = await run(join(work, 'cache-captions'), true);
    const lines = [
      ratioLine(`  normalise ${sources.length} clips, plain / captioned (wall)`, plain.ms, text.ms, '≥ 0.9'),
    ];
    if (plain.cpu !== null && text.cpu !== null) {
      lines.push(
        ratioLine(`  normalise ${sources.length} clips, plain / captioned (CPU)`, plain.cpu, text.cpu, '≥ 0.9'),
      );
    }
    return lines;
  } finally {
    await pool.destroy();
  }
}
