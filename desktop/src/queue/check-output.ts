import type { Preflight } from '@vmp/shared';
import { drawnBoxes } from '../engine/preflight/boxes.ts';
import { preflight } from '../engine/preflight/index.ts';
import type { DrawnBox } from '../engine/preflight/rules.ts';
import { finalPathOf } from '../engine/render/spec.ts';
import type { OutputSpec } from '../engine/render/types.ts';
import { openingHashes } from '../engine/similarity/index.ts';

/** What checking one finished output found: stored on its row, shown as its badge, written in the manifest. */
export interface RenderedCheck {
  preflight: Preflight;
  /** dHashes of its opening (hex), for the job's near-duplicate report. */
  opening: string[];
  textBoxes: DrawnBox[];
}

/**
 * The pre-flight `vmp mix` runs after a render (engine/preflight, with the text boxes the engine drew), plus the
 * hashes of the file's opening (engine/similarity), for one output made for a placement. Plain data in and out:
 * the app runs it in the engine's worker threads (core/cpu-tasks.ts), so its ffprobe/FFmpeg spawns and the text
 * layout stay off the main thread.
 */
export async function checkRendered(spec: OutputSpec): Promise<RenderedCheck> {
  const placement = spec.combination.placement;
  if (!placement) throw new Error(`Output ${spec.combination.index + 1} is not made for a placement.`);
  const file = finalPathOf(spec);
  const textBoxes = drawnBoxes(spec);
  const checked = await preflight(file, placement, { boxes: textBoxes });
  const opening = (await openingHashes(file)).map((h) => h.toString(16).padStart(16, '0'));
  return { preflight: checked, opening, textBoxes };
}
